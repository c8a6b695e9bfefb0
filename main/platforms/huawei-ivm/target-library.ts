import type {
  AttributeKey,
  ItemOutcome,
  LibraryScope,
  LibraryState,
  NewTarget,
  Target,
  TargetAttributes,
} from '../../../preload/contract';
import { AppError } from '../../errors';
import { PlatformError } from '../errors';
import type { TargetLibraryOps } from '../platform';
import type { IvmApi } from './api';
import { itemFailure } from './client';
import { parseDevice } from './map';
import { IvmTargetApi, type ItemResult, type TargetDto, type TargetVo } from './api-targets';
import type { IvmClient } from './client';

type Family = 'NVR800' | 'SDC' | 'IVS1800';
/** §14.0.3 group types per family; the first is the device's default. */
const GROUP_TYPES: Record<Family, string[]> = {
  NVR800: ['WHITE', 'STRANGE', 'BLACK'],
  SDC: ['OTHER', 'DEFAULT', 'WHITE'],
  IVS1800: ['WHITE', 'STRANGE', 'RED'],
};
const MAX_GROUP_NAME = 63;
/**
 * §14.6 names the NVR800's three built-in groups 黑名单, 白名单, 陌生人; §14.2 gives their types
 * (BLACK 黑名单, WHITE 白名单, STRANGE 陌生人). 14.1 does not list types, but 14.4 needs one.
 */
const NVR_BUILTIN_TYPES: Record<string, string> = { 黑名单: 'BLACK', 白名单: 'WHITE', 陌生人: 'STRANGE' };
/** §14.0.5 which attributes each family keeps (`nation` is supported by none yet). */
const ATTRIBUTES: Record<Family, AttributeKey[]> = {
  NVR800: ['age', 'country', 'native', 'occupation', 'work_no', 'phone', 'email', 'domicile', 'remark'],
  SDC: ['native', 'work_no', 'domicile'],
  IVS1800: ['country', 'occupation', 'work_no', 'remark'],
};

/**
 * Huawei IVM target libraries as Vigil's editor sees them. The family comes from the device
 * type (NVR → NVR800, MEdge → IVS1800, cameras → SDC); group types are not listed by 14.1, so
 * the ones Vigil created are remembered and others fall back to the family's default.
 */
export class IvmTargetLibrary implements TargetLibraryOps {
  private readonly api: IvmTargetApi;
  private readonly families = new Map<string, Family>();
  private readonly groupTypes = new Map<string, string>();

  constructor(
    client: IvmClient,
    private readonly devices: IvmApi,
  ) {
    this.api = new IvmTargetApi(client);
  }

  private async family(deviceId: string): Promise<Family> {
    let family = this.families.get(deviceId);
    if (!family) {
      family = familyOf((await this.devices.device(deviceId)).device_type ?? 'IPC');
      this.families.set(deviceId, family);
    }
    return family;
  }

  /**
   * HOLO devices only (§14.0.2), from the enterprise device list (§6.2, page index), each asked
   * whether it holds a library (§14.1: IVM.10020019 "empty query result" when the face algorithm
   * is off), four at a time, so the picker can offer those first and say why the others cannot.
   */
  async scopes(): Promise<LibraryScope[]> {
    const out: LibraryScope[] = [];
    for (let page = 0; ; page++) {
      const r = await this.devices.devices({ limit: 1000, offset: page });
      for (const d of r.devices ?? []) {
        if (d.access_protocol !== 'HOLO') continue;
        out.push({ id: `dev:${d.device_id}`, name: d.device_name || d.device_id });
        if (d.device_type) this.families.set(d.device_id, familyOf(d.device_type));
      }
      if ((r.devices ?? []).length < 1000) break;
    }
    let next = 0;
    const probe = async () => {
      for (let i = next++; i < out.length; i = next++) {
        const scope = out[i]!;
        try {
          await this.api.groups(parseDevice(scope.id));
          scope.library = true;
        } catch (e) {
          const none = e instanceof PlatformError && e.vendorCode === 'IVM.10020019';
          scope.library = none ? false : null;
          scope.why = none
            ? 'No target library: the face algorithm is not enabled on this device (IVM.10020019)'
            : e instanceof AppError
              ? e.message
              : 'The device did not answer';
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, out.length) }, probe));
    return out;
  }

  async state(node: string): Promise<LibraryState> {
    const deviceId = parseDevice(node);
    const family = await this.family(deviceId);
    const { groups, maxCount } = await this.api.groups(deviceId).catch((e: unknown) => {
      // §14.1: "empty query result" here means the device keeps no library — a fact about the device, said so.
      if (e instanceof PlatformError && e.vendorCode === 'IVM.10020019')
        throw new AppError('NOT_AVAILABLE', 'No target library: the face algorithm is not enabled on this device', {
          vendorCode: e.vendorCode,
          reason: 'noLibrary',
        });
      throw e;
    });
    const out = [];
    // One device answers every call: counts are read one at a time (§14.15 step 2).
    for (const g of groups) {
      // 14.4 requires group_type and would retype the group: keep the type a group is known to
      // have (a `group_type` the platform sends beyond the table, or an NVR800 built-in's).
      const listed = typeof g.group_type === 'string' ? g.group_type : undefined;
      const known =
        listed && GROUP_TYPES[family].includes(listed)
          ? listed
          : family === 'NVR800' && g.is_fixed
            ? NVR_BUILTIN_TYPES[g.name]
            : undefined;
      const key = `${deviceId}/${g.group_id}`;
      if (known && (listed === known || !this.groupTypes.has(key))) this.groupTypes.set(key, known);
      out.push({
        id: String(g.group_id),
        name: g.name,
        enabled: g.enable === undefined ? null : g.enable === 'OPEN',
        fixed: g.is_fixed ?? false,
        hidden: g.is_hidden ?? false,
        builtin: family === 'NVR800' && (g.is_fixed ?? false),
        count: await this.api.count(deviceId, g.group_id),
      });
    }
    return {
      family,
      maxGroups: maxCount,
      maxGroupName: MAX_GROUP_NAME,
      groupTypes: GROUP_TYPES[family],
      actions: { addTargets: true, editTargets: true, enableGroups: family !== 'IVS1800' },
      attributes: ATTRIBUTES[family],
      limits: {
        batch: family === 'SDC' ? 1 : 20,
        maxImageBytes: 50 * 1024,
        maxImageSide: 1200,
        batchImageBytes: family === 'NVR800' ? 700 * 1024 : null,
        deleteBatch: 100,
      },
      groups: out,
    };
  }

  async createGroup(node: string, name: string, type?: string): Promise<void> {
    const deviceId = parseDevice(node);
    const family = await this.family(deviceId);
    if (type && !GROUP_TYPES[family].includes(type))
      throw new AppError('VALIDATION', `A ${family} group is one of ${GROUP_TYPES[family].join(', ')}`);
    checkGroupName(name);
    const id = await this.api.createGroup(deviceId, name, type);
    this.groupTypes.set(`${deviceId}/${id}`, type ?? GROUP_TYPES[family][0]!);
  }

  async updateGroup(node: string, group: string, name: string, enabled: boolean): Promise<void> {
    const deviceId = parseDevice(node);
    const groupId = groupNumber(group);
    checkGroupName(name);
    const family = await this.family(deviceId);
    const type = this.groupTypes.get(`${deviceId}/${groupId}`) ?? GROUP_TYPES[family][0]!;
    await this.api.modifyGroup(deviceId, {
      group_id: groupId,
      group_name: name,
      group_type: type,
      ...(family === 'IVS1800' ? {} : { enable: enabled ? 'OPEN' : 'CLOSE' }),
    });
  }

  async deleteGroup(node: string, group: string): Promise<void> {
    await this.api.deleteGroup(parseDevice(node), groupNumber(group));
  }

  async targets(
    node: string,
    group: string,
    start: number,
    count: number,
  ): Promise<{ targets: Target[]; total: number }> {
    const deviceId = parseDevice(node);
    const groupId = groupNumber(group);
    const [total, list] = [
      await this.api.count(deviceId, groupId),
      await this.api.list(deviceId, groupId, start, count),
    ];
    return { total, targets: list.filter((t) => t.target_id).map(toTarget) };
  }

  async picture(node: string, group: string, id: string): Promise<string | null> {
    const groupId = groupNumber(group);
    const deviceId = parseDevice(node);
    const family = await this.family(deviceId);
    if (family === 'IVS1800') {
      // 14.8 is not available on IVS1800; its list records carry the picture.
      return null;
    }
    const [t] = await this.api.byIds(deviceId, [family === 'SDC' ? `${groupId}_${id}` : id]);
    return t?.picture ? dataUrl(t.picture) : null;
  }

  async add(node: string, group: string, targets: NewTarget[]): Promise<ItemOutcome[]> {
    const results = await this.api.add(
      parseDevice(node),
      groupNumber(group),
      targets.map((t) => ({ ...dto(t, t.picture), ...(t.externalId ? { external_target_id: t.externalId } : {}) })),
    );
    return targets.map((_, index) => outcome(index, results[index]));
  }

  async update(
    node: string,
    group: string,
    target: TargetAttributes & { id: string; picture?: string },
  ): Promise<ItemOutcome> {
    const deviceId = parseDevice(node);
    const groupId = groupNumber(group);
    // 14.13 replaces the whole record, picture included: resend the enrolled one when unchanged.
    let picture = target.picture;
    if (!picture) {
      const current = await this.picture(node, group, target.id);
      if (!current)
        throw new AppError(
          'VALIDATION',
          'This device does not return the enrolled picture: choose the picture again to save changes',
        );
      picture = current.slice(current.indexOf(',') + 1);
    }
    const [result] = await this.api.modify(deviceId, groupId, [{ ...dto(target, picture), target_id: target.id }]);
    return outcome(0, result);
  }

  async remove(node: string, group: string, ids: string[]): Promise<ItemOutcome[]> {
    const results = await this.api.remove(parseDevice(node), groupNumber(group), ids);
    return ids.map((id, index) => outcome(index, results.find((r) => r.target_id === id) ?? results[index]));
  }
}

function familyOf(deviceType: string): Family {
  return deviceType === 'NVR' ? 'NVR800' : deviceType === 'MEdge' ? 'IVS1800' : 'SDC';
}

/** §14.2: group names are at most 63 characters (the shared contract allows Alibaba's 64). */
function checkGroupName(name: string): void {
  if ([...name].length > MAX_GROUP_NAME)
    throw new AppError('VALIDATION', `Group names are at most ${MAX_GROUP_NAME} characters`);
}

/** IVM group ids are non-negative integers (sent as numbers). */
function groupNumber(group: string): number {
  if (!/^\d{1,9}$/.test(group)) throw new AppError('VALIDATION', `Not a Huawei IVM group id: ${group}`);
  return Number(group);
}

function dto(t: TargetAttributes, picture: string): TargetDto {
  const { name, gender, ...rest } = t;
  const attributes = Object.fromEntries(
    Object.entries(rest).filter(([k, v]) => v !== undefined && k !== 'id' && k !== 'picture' && k !== 'externalId'),
  );
  return { name, gender, ...attributes, jpegBase64: picture };
}

function toTarget(t: TargetVo): Target {
  const out: Target = { id: t.target_id! };
  for (const k of [
    'name',
    'country',
    'nation',
    'native',
    'occupation',
    'work_no',
    'phone',
    'email',
    'domicile',
    'remark',
  ] as const)
    if (t[k]) out[k] = t[k];
  if (t.gender === 'male' || t.gender === 'female') out.gender = t.gender;
  if (typeof t.age === 'number') out.age = t.age;
  if (t.external_target_id) out.externalId = t.external_target_id;
  if (t.picture && /^[A-Za-z0-9+/]+={0,2}$/.test(t.picture)) out.picture = dataUrl(t.picture);
  return out;
}

/** PNG pictures start `iVBOR` in base64; everything else enrolled is JPEG. */
function dataUrl(b64: string): string {
  return `data:image/${b64.startsWith('iVBOR') ? 'png' : 'jpeg'};base64,${b64}`;
}

function outcome(index: number, r: ItemResult | undefined): ItemOutcome {
  if (!r) return { index, ok: false, code: 'MISSING', message: 'The platform returned no result for this item' };
  return r.result.code === 'IVM.0' ? { index, ok: true, id: r.target_id } : { index, ...itemFailure(r.result) };
}

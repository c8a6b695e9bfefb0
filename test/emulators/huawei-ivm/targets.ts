import { fail, itemResult } from './errors';

/**
 * Huawei IVM chapter 14: target (face) libraries that live on devices. Groups per device with
 * the family's types and rules (NVR800 default groups, SDC unique names and empty-before-delete,
 * IVS1800 always enabled), targets paged by index range, batch add/modify/delete with per-item
 * results, and the face-picture checks of §14.0.6 (PNG/JPEG, ≤ 50 KB, ≤ 1200×1200).
 */
export type Family = 'NVR800' | 'SDC' | 'IVS1800';

interface TargetRec {
  target_id: string;
  fields: Record<string, string | number>;
  jpeg: string;
  external_target_id?: string;
  /** NVR800 `storage=false`: kept without picture, cannot be modified */
  desensitised: boolean;
}
interface GroupRec {
  name: string;
  type: string;
  enable: 'OPEN' | 'CLOSE';
  is_fixed: boolean;
  is_hidden: boolean;
  /** NVR800 built-in groups cannot be deleted; the stranger group takes no targets */
  builtin?: 'BLACK' | 'WHITE' | 'STRANGE';
  targets: Map<string, TargetRec>;
}
export interface Library {
  family: Family;
  groupMax: number;
  groups: Map<number, GroupRec>;
  nextTarget: number;
}

const TYPES: Record<Family, string[]> = {
  NVR800: ['WHITE', 'STRANGE', 'BLACK'],
  SDC: ['OTHER', 'DEFAULT', 'WHITE'],
  IVS1800: ['WHITE', 'STRANGE', 'RED'],
};
const TARGET_NAME = /^[\p{Script=Han}A-Za-z0-9_\- ]{1,128}$/u;
const TARGET_ID = /^[0-9-]{1,20}$/;
const TEXT_LIMITS: Record<string, number> = {
  country: 128,
  nation: 32,
  native: 128,
  occupation: 128,
  work_no: 64,
  domicile: 256,
  remark: 512,
};
export const MAX_IMAGE_BYTES = 50 * 1024;
export const MAX_IMAGE_SIDE = 1200;
const NVR_BATCH_BYTES = 700 * 1024;

export function newLibrary(family: Family, groupMax: number): Library {
  const lib: Library = { family, groupMax, groups: new Map(), nextTarget: 1 };
  if (family === 'NVR800') {
    // Three built-in groups appear on their own (§14.0.3); the whitelist is reported hidden.
    lib.groups.set(0, {
      name: '黑名单',
      type: 'BLACK',
      enable: 'CLOSE',
      is_fixed: true,
      is_hidden: false,
      builtin: 'BLACK',
      targets: new Map(),
    });
    lib.groups.set(1, {
      name: '白名单',
      type: 'WHITE',
      enable: 'CLOSE',
      is_fixed: true,
      is_hidden: true,
      builtin: 'WHITE',
      targets: new Map(),
    });
    lib.groups.set(2, {
      name: '陌生人',
      type: 'STRANGE',
      enable: 'CLOSE',
      is_fixed: true,
      is_hidden: false,
      builtin: 'STRANGE',
      targets: new Map(),
    });
  }
  return lib;
}

export class TargetLibraries {
  constructor(
    /** The device's library; throws the documented error when there is none. */
    private readonly library: (deviceId: unknown) => Library,
  ) {}

  /** Seeds a group with targets (the emulator's realistic enterprise). */
  seed(lib: Library, name: string, type: string, people: Array<Record<string, string | number>>, jpeg: string): void {
    let id = 0;
    while (lib.groups.has(id)) id++;
    const targets = new Map<string, TargetRec>();
    for (const p of people) {
      const target_id = String(lib.nextTarget++);
      targets.set(target_id, { target_id, fields: p, jpeg, desensitised: false });
    }
    lib.groups.set(id, { name, type, enable: 'OPEN', is_fixed: false, is_hidden: false, targets });
  }

  route(
    method: string,
    version: string,
    rest: string,
    q: Map<string, string>,
    body: unknown,
  ): { matched: true; body: unknown } | { matched: false } {
    const b = (body ?? {}) as Record<string, unknown>;
    const v1 = version === 'v1';
    const done = (out: unknown) => ({ matched: true as const, body: out });
    if (rest === '/target-groups') {
      if (method === 'GET' && v1) return done(this.groups(q.get('device_id')));
      if (method === 'POST') return done(this.createGroup(b, v1));
      if (method === 'PUT') return done(this.modifyGroup(b, v1));
      if (method === 'DELETE') return done(this.deleteGroup(b, v1));
    }
    if (!v1) return { matched: false };
    if (rest === '/targets' && method === 'POST') return done(this.byIds(b));
    if (rest === '/targets' && method === 'GET') return done(this.list(q, true));
    if (rest === '/targets/ids' && method === 'GET') return done(this.list(q, false));
    if (rest === '/targets/count' && method === 'GET') return done(this.count(q));
    if (rest === '/targets/batch-add' && method === 'POST') return done(this.add(b));
    if (rest === '/targets' && method === 'PUT') return done(this.modify(b));
    if (rest === '/target/batch-delete' && method === 'POST') return done(this.remove(b));
    return { matched: false };
  }

  /** 14.1 */
  private groups(deviceId: unknown) {
    const lib = this.library(deviceId);
    const groups = [...lib.groups].map(([group_id, g]) => ({
      group_id,
      name: g.name,
      ...(lib.family === 'IVS1800' ? {} : { enable: g.enable }),
      is_fixed: g.is_fixed,
      is_hidden: g.is_hidden,
    }));
    return { groups, device_id: deviceId, group_max_count: lib.groupMax };
  }

  private group(lib: Library, id: unknown): [number, GroupRec] {
    const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) fail('IVM.20090001');
    const g = lib.groups.get(n as number) ?? fail('IVM.20090018');
    return [n as number, g];
  }

  private groupName(lib: Library, name: unknown, except?: number): string {
    if (typeof name !== 'string' || name.length < 1 || [...name].length > 63) fail('IVM.10020001');
    if (lib.family !== 'NVR800' && [...lib.groups].some(([id, g]) => id !== except && g.name === name))
      fail('IVM.20090025');
    return name as string;
  }

  private groupType(lib: Library, type: unknown, required: boolean): string {
    if (type === undefined && !required) return TYPES[lib.family][0]!;
    if (typeof type !== 'string' || !TYPES[lib.family].includes(type)) fail('IVM.10020001');
    return type as string;
  }

  /** 14.2 / 14.3: V1 answers `group_id` as a String, V2 as an Integer. */
  private createGroup(b: Record<string, unknown>, v1: boolean) {
    const lib = this.library(b.device_id);
    const name = this.groupName(lib, b.group_name);
    const type = this.groupType(lib, b.group_type, false);
    if (lib.groupMax !== -1 && lib.groups.size >= lib.groupMax) fail('IVM.20090023');
    let id = 0;
    while (lib.groups.has(id)) id++;
    lib.groups.set(id, { name, type, enable: 'CLOSE', is_fixed: false, is_hidden: false, targets: new Map() });
    return { device_id: b.device_id, group_id: v1 ? String(id) : id };
  }

  /** 14.4 / 14.5: name, type and (SDC, NVR) enable all required; an empty group cannot be enabled. */
  private modifyGroup(b: Record<string, unknown>, v1: boolean) {
    const lib = this.library(b.device_id);
    const [id, g] = this.group(lib, b.group_id);
    const name = this.groupName(lib, b.group_name, id);
    const type = this.groupType(lib, b.group_type, true);
    let enable = g.enable;
    if (lib.family !== 'IVS1800') {
      if (b.enable !== 'OPEN' && b.enable !== 'CLOSE') fail('IVM.10020001');
      enable = b.enable as 'OPEN' | 'CLOSE';
    }
    if (g.is_fixed && (name !== g.name || type !== g.type)) fail('IVM.20090024');
    if (enable === 'OPEN' && g.targets.size === 0) fail('IVM.20090028');
    Object.assign(g, { name, type, enable });
    return { device_id: b.device_id, group_id: v1 ? String(id) : id };
  }

  /** 14.6 / 14.7: NVR800 built-ins stay; SDC groups must be empty first. */
  private deleteGroup(b: Record<string, unknown>, v1: boolean) {
    const lib = this.library(b.device_id);
    const [id, g] = this.group(lib, b.group_id);
    if (g.builtin) fail('IVM.20090024');
    if (lib.family === 'SDC' && g.targets.size > 0) fail('IVM.20090026');
    lib.groups.delete(id);
    return { device_id: b.device_id, group_id: v1 ? String(id) : id };
  }

  private vo(t: TargetRec, picture: boolean) {
    return {
      target_id: t.target_id,
      ...t.fields,
      ...(picture && !t.desensitised ? { jpegBase64: t.jpeg } : {}),
      external_target_id: t.external_target_id ?? '',
    };
  }

  /** 14.8: 1–100 IDs; SDC IDs carry their group (`{group_id}_{target_id}`) and answer picture and ID only. */
  private byIds(b: Record<string, unknown>) {
    const lib = this.library(b.device_id);
    if (lib.family === 'IVS1800') fail('IVM.20090011');
    const ids = b.target_ids;
    if (!Array.isArray(ids) || ids.length < 1) fail('IVM.10020001');
    if ((ids as unknown[]).length > 100) fail('IVM.10027006'); // §20.2 "array over limit": §14 prints no code of its own
    const targets = (ids as unknown[]).map((raw) => {
      if (typeof raw !== 'string') return fail('IVM.20090002');
      if (lib.family === 'SDC') {
        const m = /^(\d+)_([0-9-]{1,20})$/.exec(raw) ?? fail('IVM.20090002');
        const t = lib.groups.get(Number(m[1]))?.targets.get(m[2]!) ?? fail('IVM.20090027');
        return { target_id: raw, jpegBase64: t.jpeg };
      }
      if (!TARGET_ID.test(raw)) fail('IVM.20090002');
      const t = [...lib.groups.values()].map((g) => g.targets.get(raw)).find(Boolean) ?? fail('IVM.20090027');
      return this.vo(t, true);
    });
    return { targets };
  }

  /** 14.9 / 14.10: items [start, start+count) by ascending numeric ID; SDC lists carry no pictures. */
  private list(q: Map<string, string>, records: boolean) {
    const lib = this.library(q.get('device_id'));
    const [, g] = this.group(lib, q.get('group_id'));
    const start = q.has('start') ? Number(q.get('start')) : 0;
    const count = q.has('count') ? Number(q.get('count')) : 10;
    if (!Number.isInteger(start) || start < 0 || start > 5000) fail('IVM.10027003');
    if (!Number.isInteger(count) || count < 1 || count > 5000) fail('IVM.10027004');
    const page = [...g.targets.values()]
      .sort((x, y) => Number(x.target_id) - Number(y.target_id))
      .slice(start, start + count);
    const device_id = q.get('device_id');
    return records
      ? { device_id, targets: page.map((t) => this.vo(t, lib.family !== 'SDC')) }
      : { device_id, target_ids: page.map((t) => t.target_id) };
  }

  /** 14.11 */
  private count(q: Map<string, string>) {
    const lib = this.library(q.get('device_id'));
    const [, g] = this.group(lib, q.get('group_id'));
    return { device_id: q.get('device_id'), target_count: g.targets.size };
  }

  private batch(lib: Library, raw: unknown): Array<Record<string, unknown>> {
    if (!Array.isArray(raw) || raw.length === 0) fail('IVM.10020001');
    const max = lib.family === 'SDC' ? 1 : 20;
    if ((raw as unknown[]).length > max) fail('IVM.10027006');
    const items = raw as Array<Record<string, unknown>>;
    if (lib.family === 'NVR800') {
      const total = items.reduce(
        (n, t) => n + (typeof t?.jpegBase64 === 'string' ? Math.floor((t.jpegBase64.length * 3) / 4) : 0),
        0,
      );
      if (total > NVR_BATCH_BYTES) fail('IVM.10020002');
    }
    return items;
  }

  /** 14.12: per-item results; attribute and picture problems fail the item, not the call. */
  private add(b: Record<string, unknown>) {
    const lib = this.library(b.device_id);
    const [, g] = this.group(lib, b.group_id);
    if (g.builtin === 'STRANGE') fail('IVM.20090029');
    const storage = b.storage === undefined ? true : b.storage;
    if (typeof storage !== 'boolean') fail('IVM.10020001');
    const targets = this.batch(lib, b.targets).map((t) => {
      const external = t?.external_target_id;
      const echo = { name: t?.name, ...(typeof external === 'string' ? { external_target_id: external } : {}) };
      const problem =
        attributeProblem(t) ??
        (external !== undefined && (typeof external !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(external))
          ? 'IVM.10020001'
          : null) ??
        (lib.family === 'NVR800' && storage === false && typeof external !== 'string' ? 'IVM.10020001' : null);
      if (problem) return { ...echo, target_id: '', result: itemResult(problem) };
      const target_id = String(lib.nextTarget++);
      g.targets.set(target_id, {
        target_id,
        fields: fieldsOf(t),
        jpeg: t.jpegBase64 as string,
        ...(typeof external === 'string' ? { external_target_id: external } : {}),
        desensitised: lib.family === 'NVR800' && storage === false,
      });
      return { ...echo, target_id, result: itemResult('IVM.0') };
    });
    return { targets };
  }

  /** 14.13: full replacement, picture included; desensitised NVR800 targets cannot change. */
  private modify(b: Record<string, unknown>) {
    const lib = this.library(b.device_id);
    const [id, g] = this.group(lib, b.group_id);
    const target_ids = this.batch(lib, b.targets).map((t) => {
      const tid = t?.target_id;
      if (typeof tid !== 'string' || !TARGET_ID.test(tid))
        return { target_id: String(tid ?? ''), result: itemResult('IVM.20090002') };
      const existing = g.targets.get(tid);
      if (!existing) return { target_id: tid, result: itemResult('IVM.20090027') };
      const ext = { external_target_id: existing.external_target_id ?? '' }; // the add-time client ID ('' when none was given)
      if (existing.desensitised) return { target_id: tid, ...ext, result: itemResult('IVM.20090009') };
      // §20.2: a bad picture fails the update as IVM.20090009 ("check the picture and the face ID");
      // IVM.20090014 is the import's code.
      const problem = attributeProblem(t);
      const code = problem === 'IVM.20090014' ? 'IVM.20090009' : problem;
      if (code) return { target_id: tid, ...ext, result: itemResult(code) };
      existing.fields = fieldsOf(t);
      existing.jpeg = t.jpegBase64 as string;
      return { target_id: tid, ...ext, result: itemResult('IVM.0') };
    });
    return { group_id: id, target_ids };
  }

  /** 14.14 (note the singular `target` in its path). */
  private remove(b: Record<string, unknown>) {
    const lib = this.library(b.device_id);
    const [id, g] = this.group(lib, b.group_id);
    const ids = b.target_ids;
    if (!Array.isArray(ids) || ids.length < 1) fail('IVM.10020001');
    if ((ids as unknown[]).length > 100) fail('IVM.10027006'); // §20.2 "array over limit": §14 prints no code of its own
    const target_ids = (ids as unknown[]).map((tid) => {
      if (typeof tid !== 'string' || !TARGET_ID.test(tid))
        return { target_id: String(tid), result: itemResult('IVM.20090002') };
      return { target_id: tid, result: itemResult(g.targets.delete(tid) ? 'IVM.0' : 'IVM.20090027') };
    });
    return { group_id: id, target_ids };
  }
}

/** The first documented problem of a target's attributes or picture, or null. */
function attributeProblem(t: Record<string, unknown> | null | undefined): string | null {
  if (!t || typeof t !== 'object') return 'IVM.10020001';
  if (typeof t.name !== 'string' || !TARGET_NAME.test(t.name)) return 'IVM.10020001';
  if (t.gender !== 'male' && t.gender !== 'female') return 'IVM.20090003';
  if (t.age !== undefined && (typeof t.age !== 'number' || !Number.isInteger(t.age) || t.age < 1 || t.age > 255))
    return 'IVM.20090004';
  if (t.email !== undefined && (typeof t.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(t.email)))
    return 'IVM.20090005';
  if (t.phone !== undefined && (typeof t.phone !== 'string' || !/^[0-9]{11}$/.test(t.phone))) return 'IVM.20090006';
  for (const [field, max] of Object.entries(TEXT_LIMITS)) {
    const v = t[field];
    if (v !== undefined && (typeof v !== 'string' || [...v].length < 1 || [...v].length > max)) return 'IVM.10020001';
  }
  return pictureProblem(t.jpegBase64);
}

function fieldsOf(t: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = { name: t.name as string, gender: t.gender as string };
  for (const k of [
    'age',
    'country',
    'nation',
    'native',
    'occupation',
    'work_no',
    'phone',
    'email',
    'domicile',
    'remark',
  ])
    if (t[k] !== undefined) out[k] = t[k] as string | number;
  return out;
}

/** §14.0.6: raw base64 (no data: prefix) of a PNG or JPEG, ≤ 50 KB, ≤ 1200×1200; else IVM.20090014. */
export function pictureProblem(b64: unknown): string | null {
  if (typeof b64 !== 'string' || b64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return 'IVM.20090014';
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length > MAX_IMAGE_BYTES) return 'IVM.20090014';
  const size = imageSize(bytes);
  if (!size || size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE) return 'IVM.20090014';
  return null;
}

/** Width and height from a PNG IHDR or a JPEG SOFn segment; null for anything else. */
export function imageSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.toString('latin1', 12, 16) === 'IHDR')
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = bytes.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    i += 2 + length;
  }
  return null;
}

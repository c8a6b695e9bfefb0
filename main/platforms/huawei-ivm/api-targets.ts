import { z } from 'zod';
import type { IvmClient } from './client';

/**
 * Huawei IVM chapter 14: target (face) libraries on devices. Groups use the V2 endpoints (an
 * Integer `group_id`, §14.0.4) with V1 kept for accounts that need it; targets page by index
 * range (§14.0.7); batch add/modify/delete answer a `result` per item (§0.5).
 */
const int = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const Result = z.looseObject({ code: z.string(), msg: z.string().optional() });

export const TargetGroupVo = z.looseObject({
  group_id: int,
  name: z.string(),
  enable: z.enum(['OPEN', 'CLOSE']).optional(),
  is_fixed: z.boolean().optional(),
  is_hidden: z.boolean().optional(),
});

/** TargetVo: the picture key is `jpg` in the tables and `jpegBase64` in the examples (G.44). */
export const TargetVo = z
  .looseObject({
    target_id: z.string().optional(),
    name: z.string().optional(),
    gender: z.string().optional(),
    age: int.optional(),
    country: z.string().optional(),
    nation: z.string().optional(),
    native: z.string().optional(),
    occupation: z.string().optional(),
    organization: z.string().optional(),
    work_no: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    domicile: z.string().optional(),
    remark: z.string().optional(),
    jpg: z.string().optional(),
    jpegBase64: z.string().optional(),
    external_target_id: z.string().optional(),
  })
  .transform(({ jpg, jpegBase64, ...rest }) => ({ ...rest, picture: jpegBase64 ?? jpg }));
export type TargetVo = z.infer<typeof TargetVo>;

/** Writable attributes (AddTargetsDto / TargetDto). `jpegBase64` is raw base64, no data: prefix. */
export interface TargetDto {
  name: string;
  gender: 'male' | 'female';
  age?: number;
  country?: string;
  nation?: string;
  native?: string;
  occupation?: string;
  work_no?: string;
  phone?: string;
  email?: string;
  domicile?: string;
  remark?: string;
  jpegBase64: string;
}

const ItemResult = z.looseObject({
  target_id: z.string().default(''),
  external_target_id: z.string().optional(),
  name: z.string().optional(),
  result: Result,
});
export type ItemResult = z.infer<typeof ItemResult>;

export class IvmTargetApi {
  constructor(private readonly client: IvmClient) {}

  /** 14.1 (`group_max_count` String in the table, Integer in the example). */
  groups(deviceId: string) {
    return this.client
      .call(z.looseObject({ groups: z.array(TargetGroupVo).nullish(), group_max_count: int.optional() }), {
        method: 'GET',
        path: '/v1/target-groups',
        query: { device_id: deviceId },
        what: 'target groups',
      })
      .then((r) => ({ groups: r.groups ?? [], maxCount: r.group_max_count ?? -1 }));
  }

  /** 14.3 (V2) or 14.2 (V1): the device's default type when `type` is omitted. */
  createGroup(deviceId: string, name: string, type?: string, version: 'v1' | 'v2' = 'v2') {
    return this.client
      .call(z.looseObject({ group_id: int }), {
        method: 'POST',
        path: `/${version}/target-groups`,
        body: { group_name: name, device_id: deviceId, ...(type ? { group_type: type } : {}) },
        what: 'create target group',
      })
      .then((r) => r.group_id);
  }

  /** 14.5 (V2) or 14.4 (V1): every field is sent (rename and enable are both "modify"). */
  async modifyGroup(
    deviceId: string,
    group: { group_id: number; group_name: string; group_type: string; enable?: 'OPEN' | 'CLOSE' },
    version: 'v1' | 'v2' = 'v2',
  ) {
    await this.client.call(z.looseObject({ group_id: int }), {
      method: 'PUT',
      path: `/${version}/target-groups`,
      body: { device_id: deviceId, ...group },
      what: 'modify target group',
    });
  }

  /** 14.7 (V2) or 14.6 (V1), DELETE with a JSON body. */
  async deleteGroup(deviceId: string, groupId: number, version: 'v1' | 'v2' = 'v2') {
    await this.client.call(z.looseObject({ group_id: int }), {
      method: 'DELETE',
      path: `/${version}/target-groups`,
      body: { device_id: deviceId, group_id: groupId },
      what: 'delete target group',
    });
  }

  /** 14.8, a POST that reads: 1–100 IDs (SDC: `{group_id}_{target_id}`). */
  byIds(deviceId: string, ids: string[]) {
    return this.client
      .call(z.looseObject({ targets: z.array(TargetVo).nullish() }), {
        method: 'POST',
        path: '/v1/targets',
        body: { device_id: deviceId, target_ids: ids },
        what: 'targets by id',
      })
      .then((r) => r.targets ?? []);
  }

  /** 14.10: records [start, start+count); `start` ≤ 5000, `count` 1–5000. */
  list(deviceId: string, groupId: number, start: number, count: number) {
    return this.client
      .call(z.looseObject({ targets: z.array(TargetVo).nullish() }), {
        method: 'GET',
        path: '/v1/targets',
        query: { device_id: deviceId, group_id: groupId, start, count },
        what: 'targets',
      })
      .then((r) => r.targets ?? []);
  }

  /** 14.9 */
  ids(deviceId: string, groupId: number, start: number, count: number) {
    return this.client
      .call(z.looseObject({ target_ids: z.array(z.string()).nullish() }), {
        method: 'GET',
        path: '/v1/targets/ids',
        query: { device_id: deviceId, group_id: groupId, start, count },
        what: 'target ids',
      })
      .then((r) => r.target_ids ?? []);
  }

  /** 14.11 */
  count(deviceId: string, groupId: number) {
    return this.client
      .call(z.looseObject({ target_count: int }), {
        method: 'GET',
        path: '/v1/targets/count',
        query: { device_id: deviceId, group_id: groupId },
        what: 'target count',
      })
      .then((r) => r.target_count);
  }

  /** 14.12: per-item results in input order. */
  add(
    deviceId: string,
    groupId: number,
    targets: Array<TargetDto & { external_target_id?: string }>,
    storage?: boolean,
  ) {
    return this.client
      .call(z.looseObject({ targets: z.array(ItemResult).nullish() }), {
        method: 'POST',
        path: '/v1/targets/batch-add',
        body: { device_id: deviceId, group_id: groupId, targets, ...(storage !== undefined ? { storage } : {}) },
        what: 'add targets',
      })
      .then((r) => r.targets ?? []);
  }

  /** 14.13: full replacement, picture included (G.43). */
  modify(deviceId: string, groupId: number, targets: Array<TargetDto & { target_id: string }>) {
    return this.client
      .call(z.looseObject({ target_ids: z.array(ItemResult).nullish() }), {
        method: 'PUT',
        path: '/v1/targets',
        body: { device_id: deviceId, group_id: groupId, targets },
        what: 'modify targets',
      })
      .then((r) => r.target_ids ?? []);
  }

  /** 14.14: note the singular `target` in the path (G.4). */
  remove(deviceId: string, groupId: number, ids: string[]) {
    return this.client
      .call(z.looseObject({ target_ids: z.array(ItemResult).nullish() }), {
        method: 'POST',
        path: '/v1/target/batch-delete',
        body: { device_id: deviceId, group_id: groupId, target_ids: ids },
        what: 'delete targets',
      })
      .then((r) => r.target_ids ?? []);
  }
}

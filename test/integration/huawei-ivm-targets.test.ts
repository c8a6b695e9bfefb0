import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { IvmClient, type IvmConfig } from '../../main/platforms/huawei-ivm/client';
import { IvmTargetApi, type TargetDto } from '../../main/platforms/huawei-ivm/api-targets';
import { IvmApi } from '../../main/platforms/huawei-ivm/api';
import { IvmTargetLibrary } from '../../main/platforms/huawei-ivm/target-library';
import { IvmEmulator } from '../emulators/huawei-ivm/emulator';
import { png } from '../helpers/images';
import { addAccount, makeCore, MemoryVault } from '../helpers/core';
import { rejectsWithCode as rejects } from '../helpers/platform';

// Huawei IVM chapter 14 (target libraries) against the emulator: the documented family rules,
// V1/V2 group_id types, index-range paging, per-item batch results and picture limits.

let emu: IvmEmulator;
let config: IvmConfig;
let api: IvmTargetApi;
const SDC = '21A0123456SMY02';
const NVR = '21A0123456NVR01';
const face = png(64, 64).toString('base64');
const person = (name: string, extra: Partial<TargetDto> & { external_target_id?: string } = {}): TargetDto => ({
  name,
  gender: 'female',
  jpegBase64: face,
  ...extra,
});

before(async () => {
  emu = await new IvmEmulator().start();
  config = { platform: 'huawei-ivm', endpoint: emu.baseUrl, userId: emu.credentials.userId, ak: emu.credentials.ak };
  api = new IvmTargetApi(new IvmClient(config, emu.credentials.sk));
});
after(() => emu.stop());

async function raw(method: string, path: string, body?: unknown) {
  const token = await new IvmClient(config, emu.credentials.sk).accessToken();
  const res = await fetch(`${emu.baseUrl}${path.replace('{user_id}', emu.credentials.userId)}`, {
    method,
    headers: { 'Access-Token': token, 'Content-Type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('groups (§14.1–14.7)', () => {
  test('list per device family; GB devices, devices without the algorithm and unknown devices get the documented codes', async () => {
    const sdc = await api.groups(SDC);
    assert.equal(sdc.maxCount, 16);
    assert.deepEqual(
      sdc.groups.map((g) => [g.name, g.enable, g.is_fixed]),
      [['访客', 'OPEN', false]],
    );
    const nvr = await api.groups(NVR);
    assert.deepEqual(
      nvr.groups.map((g) => [g.group_id, g.is_fixed, g.is_hidden]),
      [
        [0, true, false],
        [1, true, true],
        [2, true, false],
      ],
      'NVR800 built-in groups; the whitelist is hidden',
    );
    await rejects(api.groups('34020000001180000001'), 'IVM.20090017', 400);
    await rejects(api.groups('21A0123456SMY01'), 'IVM.10020019', 500);
    await rejects(api.groups('bad id'), 'IVM.10022000', 400);
  });

  test('V1 answers group_id as a String, V2 as an Integer; names unique per SDC and ≤ 63 characters; types per family', async () => {
    const v1 = await raw('POST', '/v1/{user_id}/target-groups', {
      group_name: '员工',
      group_type: 'WHITE',
      device_id: SDC,
    });
    assert.equal(v1.status, 200);
    assert.equal(typeof v1.body.group_id, 'string');
    const v2 = await raw('POST', '/v2/{user_id}/target-groups', { group_name: '临时', device_id: SDC });
    assert.equal(typeof v2.body.group_id, 'number');
    await rejects(api.createGroup(SDC, '员工'), 'IVM.20090025');
    await rejects(api.createGroup(SDC, 'x'.repeat(64)), 'IVM.10020001');
    await rejects(api.createGroup(SDC, 'bad type', 'BLACK'), 'IVM.10020001', 400, 'BLACK is an NVR800 type');
    const del = await raw('DELETE', '/v1/{user_id}/target-groups', { device_id: SDC, group_id: v2.body.group_id });
    assert.deepEqual(del.body, { device_id: SDC, group_id: String(v2.body.group_id) });
  });

  test('modify needs every field; an empty group cannot be enabled; SDC groups must be empty before deletion; NVR built-ins stay', async () => {
    const id = await api.createGroup(SDC, '巡检');
    await rejects(
      api.modifyGroup(SDC, { group_id: id, group_name: '巡检', group_type: 'OTHER', enable: 'OPEN' }),
      'IVM.20090028',
    );
    await rejects(
      api.modifyGroup(SDC, { group_id: id, group_name: '巡检', group_type: 'OTHER' }),
      'IVM.10020001',
      400,
      'enable is required on SDC',
    );
    await api.modifyGroup(SDC, { group_id: id, group_name: '巡检 二', group_type: 'OTHER', enable: 'CLOSE' });
    assert.ok((await api.groups(SDC)).groups.some((g) => g.name === '巡检 二'));
    const [added] = await api.add(SDC, id, [person('王芳')]);
    assert.equal(added!.result.code, 'IVM.0');
    await rejects(api.deleteGroup(SDC, id), 'IVM.20090026');
    await api.remove(SDC, id, [added!.target_id]);
    await api.deleteGroup(SDC, id);
    await rejects(api.deleteGroup(SDC, id), 'IVM.20090018');
    await rejects(api.deleteGroup(NVR, 0), 'IVM.20090024');
    await rejects(api.add(NVR, 2, [person('a')]), 'IVM.20090029', 400, 'the NVR stranger group takes no targets');
  });
});

test('§14.4 needs group_type, 14.1 lists none: enabling the NVR800 built-in 黑名单 (§14.6) keeps its type BLACK (§14.2)', async () => {
  const client = new IvmClient(config, emu.credentials.sk);
  const library = new IvmTargetLibrary(client, new IvmApi(client));
  const [added] = await api.add(NVR, 0, [person('黑名单成员')]);
  assert.equal(added!.result.code, 'IVM.0');
  try {
    await library.state(`dev:${NVR}`);
    const sent = emu.calls.length;
    await library.updateGroup(`dev:${NVR}`, '0', '黑名单', true);
    const put = emu.calls.slice(sent).find((c) => c.method === 'PUT' && c.path.endsWith('/target-groups'));
    assert.equal((put!.body as { group_type?: string }).group_type, 'BLACK');
    assert.equal((await api.groups(NVR)).groups.find((g) => g.group_id === 0)!.enable, 'OPEN');
    await library.updateGroup(`dev:${NVR}`, '0', '黑名单', false);
  } finally {
    await api.remove(NVR, 0, [added!.target_id]);
  }
});

describe('targets (§14.8–14.14)', () => {
  test('batch add: SDC one per call, NVR800 up to 20; attribute and picture problems fail the item, not the call', async () => {
    const g = (await api.groups(SDC)).groups[0]!.group_id;
    await rejects(api.add(SDC, g, [person('a'), person('b')]), 'IVM.10027006');
    const nvrGroup = await api.createGroup(NVR, '访客名单', 'BLACK');
    await rejects(
      api.add(
        NVR,
        nvrGroup,
        Array.from({ length: 21 }, (_, i) => person(`p${i}`)),
      ),
      'IVM.10027006',
    );
    const results = await api.add(NVR, nvrGroup, [
      person('好人', { age: 30, phone: '13800138000', email: 'a@b.cn' }),
      person('坏性别', { gender: 'x' as 'male' }),
      person('老人', { age: 300 }),
      person('电话', { phone: '138' }),
      person('大图', { jpegBase64: png(200, 200, true).toString('base64') }),
      person('宽图', { jpegBase64: png(1300, 10).toString('base64') }),
      person('文字', { jpegBase64: Buffer.from('not a picture').toString('base64') }),
      person('坏/名'),
    ]);
    assert.deepEqual(
      results.map((r) => r.result.code),
      [
        'IVM.0',
        'IVM.20090003',
        'IVM.20090004',
        'IVM.20090006',
        'IVM.20090014',
        'IVM.20090014',
        'IVM.20090014',
        'IVM.10020001',
      ],
    );
    assert.match(results[0]!.target_id, /^\d+$/);
    assert.equal(await api.count(NVR, nvrGroup), 1);
  });

  test('index-range paging, start ≤ 5000 and count 1–5000; SDC lists carry no pictures and SDC IDs need their group prefix', async () => {
    const group = await api.createGroup(NVR, '分页');
    for (let i = 0; i < 25; i += 20)
      await api.add(
        NVR,
        group,
        Array.from({ length: Math.min(20, 25 - i) }, (_, k) => person(`人员 ${i + k}`)),
      );
    assert.equal(await api.count(NVR, group), 25);
    const pages = [
      await api.list(NVR, group, 0, 10),
      await api.list(NVR, group, 10, 10),
      await api.list(NVR, group, 20, 10),
    ];
    assert.deepEqual(
      pages.map((p) => p.length),
      [10, 10, 5],
    );
    assert.equal(new Set(pages.flat().map((t) => t.target_id)).size, 25);
    assert.ok(pages[0]![0]!.picture?.startsWith('iVBOR'), 'NVR records carry the picture');
    assert.deepEqual(
      await api.ids(NVR, group, 20, 10),
      pages[2]!.map((t) => t.target_id),
    );
    await rejects(api.list(NVR, group, 5001, 10), 'IVM.10027003');
    await rejects(api.list(NVR, group, 0, 0), 'IVM.10027004');
    const byId = await api.byIds(NVR, [pages[0]![0]!.target_id!]);
    assert.equal(byId[0]!.name, '人员 0');

    const sdcGroup = (await api.groups(SDC)).groups[0]!.group_id;
    const sdcList = await api.list(SDC, sdcGroup, 0, 10);
    assert.equal(sdcList.length, 2);
    assert.ok(sdcList.every((t) => t.picture === undefined));
    await rejects(api.byIds(SDC, [sdcList[0]!.target_id!]), 'IVM.20090002');
    const pic = await api.byIds(SDC, [`${sdcGroup}_${sdcList[0]!.target_id}`]);
    assert.ok(pic[0]!.picture?.startsWith('/9j/'));
  });

  test('modify resends the whole record with its picture; desensitised NVR800 targets cannot change; delete answers per item', async () => {
    const group = await api.createGroup(NVR, '修改');
    const [one] = await api.add(NVR, group, [person('赵敏', { external_target_id: 'ext_1' })]);
    const changed = await api.modify(NVR, group, [{ ...person('赵敏 改'), target_id: one!.target_id }]);
    assert.equal(changed[0]!.result.code, 'IVM.0');
    assert.equal(changed[0]!.external_target_id, 'ext_1');
    assert.equal((await api.list(NVR, group, 0, 10))[0]!.name, '赵敏 改');
    const noPicture = await api.modify(NVR, group, [
      { name: 'x', gender: 'male', target_id: one!.target_id } as unknown as TargetDto & { target_id: string },
    ]);
    // §20.2: IVM.20090009 is the update failure ("check the picture and the face ID"); 20090014 is the import's.
    assert.equal(noPicture[0]!.result.code, 'IVM.20090009');
    const badPictures = await api.modify(NVR, group, [
      { ...person('赵敏', { jpegBase64: Buffer.from('not a picture').toString('base64') }), target_id: one!.target_id },
      { ...person('赵敏', { jpegBase64: png(200, 200, true).toString('base64') }), target_id: one!.target_id },
      { ...person('赵敏', { jpegBase64: png(1300, 10).toString('base64') }), target_id: one!.target_id },
    ]);
    assert.deepEqual(
      badPictures.map((r) => r.result.code),
      ['IVM.20090009', 'IVM.20090009', 'IVM.20090009'],
    );
    const missingExternal = await api.add(NVR, group, [person('无外部编号')], false);
    assert.equal(missingExternal[0]!.result.code, 'IVM.10020001', 'storage=false needs external_target_id');
    const [hidden] = await api.add(NVR, group, [person('脱敏', { external_target_id: 'ext_2' })], false);
    assert.equal(
      (await api.modify(NVR, group, [{ ...person('脱敏'), target_id: hidden!.target_id }]))[0]!.result.code,
      'IVM.20090009',
    );
    const removed = await api.remove(NVR, group, [one!.target_id, '999999']);
    assert.deepEqual(
      removed.map((r) => r.result.code),
      ['IVM.0', 'IVM.20090027'],
    );
  });
});

describe('the library service (issue 11)', () => {
  test('family, limits and built-ins; pictures over the limits refused before sending; an edit without a new picture resends the enrolled one', async () => {
    const { core } = makeCore({ vault: new MemoryVault() });
    const accountId = await addAccount(core, 'IVM library', { config, secret: emu.credentials.sk });
    const deviceId = `dev:${NVR}`;
    type State = {
      family: string;
      limits: { batch: number };
      groups: Array<{ id: string; name: string; builtin: boolean; count: number }>;
    };
    const state = await core.call('targets:groups', { accountId, deviceId });
    assert.ok(state.ok, JSON.stringify(state));
    const s = state.result as State;
    assert.equal(s.family, 'NVR800');
    assert.equal(s.limits.batch, 20);
    assert.ok(s.groups.filter((g) => g.builtin).length === 3);
    const scopes = await core.call('targets:scopes', { accountId });
    const scopeIds = (scopes.ok && (scopes.result as { scopes: Array<{ id: string }> }).scopes.map((x) => x.id)) || [];
    assert.ok(scopeIds.includes(deviceId) && scopeIds.includes(`dev:${SDC}`), 'HOLO devices are scopes');
    assert.ok(!scopeIds.includes('dev:34020000001180000001'), 'GB devices are not');
    const sdc = await core.call('targets:groups', { accountId, deviceId: `dev:${SDC}` });
    assert.equal(sdc.ok && (sdc.result as State).limits.batch, 1);
    // A device whose face algorithm is off answers "empty query result" (§14.1): main says what it means.
    const none = await core.call('targets:groups', { accountId, deviceId: 'dev:21A0123456SMY01' });
    assert.deepEqual(none.ok ? null : [none.error.code, none.error.details?.reason, none.error.details?.vendorCode], [
      'NOT_AVAILABLE',
      'noLibrary',
      'IVM.10020019',
    ]);
    assert.match(none.ok ? '' : none.error.message, /face algorithm is not enabled/);

    const created = await core.call('targets:createGroup', { accountId, deviceId, name: '服务测试', type: 'BLACK' });
    assert.ok(created.ok);
    const group = (created.result as State).groups.find((g) => g.name === '服务测试')!;
    const sentBefore = emu.calls.length;
    const tooBig = await core.call('targets:add', {
      accountId,
      deviceId,
      groupId: group.id,
      targets: [{ name: '大图', gender: 'male', picture: png(200, 200, true).toString('base64') }],
    });
    assert.equal(tooBig.ok ? null : tooBig.error.code, 'VALIDATION');
    // The contract itself refuses a picture over 50 KB (§14.0.6), naming the field.
    assert.match(tooBig.ok ? '' : (tooBig.error.details?.fields?.['targets.0.picture']?.message ?? ''), /50 KB/);
    assert.ok(!emu.calls.slice(sentBefore).some((c) => c.path.includes('batch-add')), 'nothing was sent');
    const wide = await core.call('targets:add', {
      accountId,
      deviceId,
      groupId: group.id,
      targets: [{ name: '宽图', gender: 'male', picture: png(1300, 20).toString('base64') }],
    });
    assert.match(wide.ok ? '' : wide.error.message, /1200×1200/);

    const ok = await core.call('targets:add', {
      accountId,
      deviceId,
      groupId: group.id,
      targets: [
        { name: '周芷若', gender: 'female', phone: '13900001111', picture: face, externalId: 'row_1' },
        { name: '坏电话', gender: 'female', age: 300 as number, picture: face },
      ],
    });
    assert.equal(ok.ok ? null : ok.error.code, 'VALIDATION', 'the contract refuses age 300 before main runs');
    const one = await core.call('targets:add', {
      accountId,
      deviceId,
      groupId: group.id,
      targets: [{ name: '周芷若', gender: 'female', phone: '13900001111', picture: face, externalId: 'row_1' }],
    });
    assert.ok(one.ok);
    const [result] = (one.result as { results: Array<{ ok: boolean; id: string }> }).results;
    assert.ok(result!.ok);
    const edited = await core.call('targets:update', {
      accountId,
      deviceId,
      groupId: group.id,
      target: { id: result!.id, name: '周芷若 改', gender: 'female' },
    });
    assert.ok(edited.ok && (edited.result as { ok: boolean }).ok, JSON.stringify(edited));
    const list = await core.call('targets:list', { accountId, deviceId, groupId: group.id, start: 0, count: 50 });
    const targets = (list.ok &&
      (list.result as { targets: Array<{ name: string; externalId: string; picture: string }>; total: number })) || {
      targets: [],
      total: 0,
    };
    assert.equal(targets.total, 1);
    assert.equal(targets.targets[0]!.name, '周芷若 改');
    assert.equal(targets.targets[0]!.externalId, 'row_1');
    assert.ok(targets.targets[0]!.picture.startsWith('data:image/png;base64,'), 'the enrolled picture was resent');
    const gone = await core.call('targets:deleteGroup', { accountId, deviceId, groupId: group.id });
    assert.ok(gone.ok && !(gone.result as State).groups.some((g) => g.id === group.id));
    const builtin = await core.call('targets:deleteGroup', { accountId, deviceId, groupId: '0' });
    assert.equal(builtin.ok ? null : builtin.error.code, 'VALIDATION');
  });

  test('group names: repeats refused only on SDC and IVS1800 (§14.2), so an NVR800 takes two alike; at most 63 characters', async () => {
    const { core } = makeCore({ vault: new MemoryVault() });
    const accountId = await addAccount(core, 'IVM names', { config, secret: emu.credentials.sk });
    type State = { maxGroupName: number; groups: Array<{ id: string; name: string }> };
    const deviceId = `dev:${NVR}`;
    const first = await core.call('targets:createGroup', { accountId, deviceId, name: '同名分组' });
    assert.ok(first.ok, JSON.stringify(first));
    assert.equal((first.result as State).maxGroupName, 63);
    const second = await core.call('targets:createGroup', { accountId, deviceId, name: '同名分组' });
    assert.ok(second.ok, JSON.stringify(second));
    const alike = (second.result as State).groups.filter((g) => g.name === '同名分组');
    assert.equal(alike.length, 2);

    const sdcName = (await api.groups(SDC)).groups[0]!.name;
    const sent = emu.calls.length;
    const repeat = await core.call('targets:createGroup', { accountId, deviceId: `dev:${SDC}`, name: sdcName });
    assert.equal(repeat.ok ? null : repeat.error.code, 'VALIDATION');
    const long = await core.call('targets:createGroup', { accountId, deviceId, name: '名'.repeat(64) });
    assert.equal(long.ok ? null : long.error.code, 'VALIDATION');
    assert.match(long.ok ? '' : long.error.message, /63/);
    assert.ok(!emu.calls.slice(sent).some((c) => c.method === 'POST' && c.path.endsWith('/target-groups')));
    for (const g of alike) await api.deleteGroup(NVR, Number(g.id));
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LibraryState, Target } from '../../preload/contract';
import { useTargetsStore } from '../../renderer/stores/targets/store';
import { installFakeBridge } from '../helpers/fake-bridge';

// The target-library store: an edit that keeps the picture on an IVS1800, whose list records carry
// the picture but which has no 14.8 to fetch it, resends the listed one (14.13 needs it).

const bridge = installFakeBridge();

const library = (family: LibraryState['family']): LibraryState => ({
  family,
  maxGroups: -1,
  maxGroupName: 63,
  groupTypes: ['WHITE'],
  actions: { addTargets: true, editTargets: true, enableGroups: family !== 'IVS1800' },
  attributes: [],
  limits: { batch: 20, maxImageBytes: 50 * 1024, maxImageSide: 1200, batchImageBytes: null, deleteBatch: 100 },
  groups: [{ id: '1', name: 'G', enabled: null, fixed: false, hidden: false, builtin: false, count: 1 }],
});
const listed: Target = { id: '7', name: 'Li', gender: 'female', picture: 'data:image/png;base64,iVBORw0KGgo=' };

test('an edit without a new picture resends the listed one on IVS1800, and leaves it to main elsewhere', async () => {
  bridge.answer('targets:update', () => ({ index: 0, ok: true, id: '7' }));
  bridge.answer('targets:list', () => ({ targets: [listed], total: 1 }));
  const edit = { id: '7', name: 'Li Ming', gender: 'female' as const };

  useTargetsStore.setState({
    accountId: 'acc',
    deviceId: 'dev:1',
    groupId: '1',
    library: library('IVS1800'),
    targets: [listed],
  });
  assert.deepEqual(await useTargetsStore.getState().updateTarget(edit), { ok: true });
  assert.equal(
    (bridge.requests('targets:update').at(-1) as { target: { picture?: string } }).target.picture,
    'iVBORw0KGgo=',
  );

  // A picture chosen anew wins.
  await useTargetsStore.getState().updateTarget({ ...edit, picture: 'AAAA' });
  assert.equal((bridge.requests('targets:update').at(-1) as { target: { picture?: string } }).target.picture, 'AAAA');

  // NVR800 and SDC fetch the enrolled picture in main (14.8): nothing is added here.
  useTargetsStore.setState({ library: library('NVR800'), targets: [listed] });
  await useTargetsStore.getState().updateTarget(edit);
  assert.equal(
    (bridge.requests('targets:update').at(-1) as { target: { picture?: string } }).target.picture,
    undefined,
  );
});

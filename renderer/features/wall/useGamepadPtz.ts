import { App as AntApp } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { layoutFor, layoutIds } from '../../model/layouts';
import { presetOf, type GamepadAction } from '../../model/gamepad-mapping';
import { mappingNow, useGamepadsStore } from '../../stores/gamepad/store';
import { usePlaybackStore } from '../../stores/playback/store';
import { usePtzControlStore } from '../../stores/ptz/control';
import { steerable } from './steerable';
import { useWallStore } from '../../stores/wall/store';
import { GamepadPoller } from './gamepad-poller';
import type { PaneActionsRegistry } from './pane-actions';

/**
 * Joysticks and gamepads on the wall: one poller, created when the wall mounts and stopped when
 * it unmounts, steering the selected pane's camera through the pad's PTZ path. Each device uses the
 * mapping main keeps for its id (Settings), else its ready-made one (standard gamepad or
 * three-axis joystick). Snapshot and pinning go to the selected pane's own actions (`panes`).
 */
export function useGamepadPtz(setLayout: (id: string) => void, panes: PaneActionsRegistry): void {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  // The latest callbacks, read by the poller without re-creating it on every render.
  const latest = useRef({ setLayout, t, message });
  latest.current = { setLayout, t, message };

  useEffect(() => {
    if (typeof navigator.getGamepads !== 'function') return;
    // The kept mappings, current while the wall is shown (a save in Settings or another window applies at once).
    const gamepads = useGamepadsStore.getState();
    if (!gamepads.loaded) void gamepads.load();
    const unlisten = gamepads.listen();
    const selectedPane = () => {
      const s = useWallStore.getState();
      return s.panes[s.selected] ?? null;
    };
    const ptz = usePtzControlStore.getState();
    // The poller hears a refusal as a rejection (said once per steering).
    const orThrow = async (failed: Promise<Error | null>) => {
      const e = await failed;
      if (e) throw e;
    };
    const act = (action: GamepadAction) => {
      const s = useWallStore.getState();
      const pane = selectedPane();
      const preset = presetOf(action);
      const say = (e: Error) => void latest.current.message.warning(e.message);
      if (preset !== null) {
        if (pane && steerable(pane)) void ptz.goToPreset(pane, preset).then((e) => e && say(e));
      } else if (action === 'nextPane' || action === 'previousPane') {
        const n = layoutFor(s.layout).cells.length;
        s.select((s.selected + (action === 'nextPane' ? 1 : n - 1)) % n);
      } else if (action === 'layout') {
        const i = layoutIds.indexOf(s.layout as (typeof layoutIds)[number]);
        latest.current.setLayout(layoutIds[(i + 1) % layoutIds.length]!);
      } else if (action === 'instantReplay') {
        if (pane) usePlaybackStore.getState().replayOnPage(pane, Date.now() - 30_000);
      } else if (action === 'snapshot') {
        // What the selected pane's own menu does, on its player.
        if (!panes.get(s.selected)?.snapshot())
          void latest.current.message.info(latest.current.t('wall.gamepadNoPicture'));
      } else {
        const pinned = panes.get(s.selected)?.togglePin() ?? null;
        const words = latest.current;
        void words.message.info({
          key: 'gamepad-pin',
          content:
            pinned === null
              ? words.t('wall.gamepadNoPicture')
              : words.t(pinned ? 'wall.gamepadPinned' : 'wall.gamepadUnpinned', { pane: s.selected + 1 }),
        });
      }
    };
    const poller = new GamepadPoller({
      getGamepads: () => navigator.getGamepads(),
      mappingFor: mappingNow,
      now: () => performance.now(),
      target: () => {
        const pane = selectedPane();
        return pane && steerable(pane) ? { accountId: pane.accountId, channelId: pane.channelId } : null;
      },
      // The store tells the control room this seat steers, as from the pad.
      send: (camera, command, speed) => orThrow(ptz.move(camera, command, speed)),
      release: (camera) => orThrow(ptz.release(camera)),
      act,
      refused: (text) => void latest.current.message.warning(text),
    });
    poller.start();
    return () => {
      poller.stop();
      unlisten();
    };
  }, [panes]);
}

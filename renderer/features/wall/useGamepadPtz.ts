import { App as AntApp } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { layoutFor, layoutIds } from '../../model/layouts';
import { defaultMapping, presetOf, type GamepadAction } from '../../model/gamepad-mapping';
import { useAlarmsStore } from '../../stores/alarms/store';
import { replayOnPlaybackPage } from '../../stores/playback/actions';
import { goToPreset, ptzCommand, ptzRelease } from '../../stores/ptz/actions';
import { selectHasPtz } from '../../stores/wall/selectors';
import { useWallStore } from '../../stores/wall/store';
import { GamepadPoller } from './gamepad-poller';

/**
 * Joysticks and gamepads on the wall: one poller, created when the wall mounts and stopped when
 * it unmounts, steering the selected pane's camera through the pad's PTZ path. Each device gets
 * its ready-made mapping (standard gamepad or three-axis joystick).
 */
export function useGamepadPtz(setLayout: (id: string) => void): void {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  // The latest callbacks, read by the poller without re-creating it on every render.
  const latest = useRef({ setLayout, t, message });
  latest.current = { setLayout, t, message };

  useEffect(() => {
    if (typeof navigator.getGamepads !== 'function') return;
    const selectedPane = () => {
      const s = useWallStore.getState();
      return s.panes[s.selected] ?? null;
    };
    const act = (action: GamepadAction) => {
      const s = useWallStore.getState();
      const pane = selectedPane();
      const preset = presetOf(action);
      const say = (e: Error) => void latest.current.message.warning(e.message);
      if (preset !== null) {
        if (pane && selectHasPtz(pane.accountId, pane.channelId)(s)) goToPreset(pane, preset).catch(say);
      } else if (action === 'nextPane' || action === 'previousPane') {
        const n = layoutFor(s.layout).cells.length;
        s.select((s.selected + (action === 'nextPane' ? 1 : n - 1)) % n);
      } else if (action === 'layout') {
        const i = layoutIds.indexOf(s.layout as (typeof layoutIds)[number]);
        latest.current.setLayout(layoutIds[(i + 1) % layoutIds.length]!);
      } else if (action === 'instantReplay') {
        if (pane) replayOnPlaybackPage(pane, Date.now() - 30_000);
      } else {
        // Snapshot and pinning act on a pane's player, which only its menu reaches so far.
        void latest.current.message.info(latest.current.t('wall.gamepadUsePaneMenu'));
      }
    };
    const poller = new GamepadPoller({
      getGamepads: () => navigator.getGamepads(),
      mappingFor: (pad) => defaultMapping(pad.mapping),
      now: () => performance.now(),
      target: () => {
        const pane = selectedPane();
        return pane && selectHasPtz(pane.accountId, pane.channelId)(useWallStore.getState())
          ? { accountId: pane.accountId, channelId: pane.channelId }
          : null;
      },
      send: async (camera, command, speed) => {
        // The control room hears this seat steers, as from the pad.
        if (command !== 'stop') useAlarmsStore.getState().steer(camera.accountId, camera.channelId, true);
        await ptzCommand(camera, command, speed);
      },
      release: async (camera) => {
        useAlarmsStore.getState().steer(camera.accountId, camera.channelId, false);
        await ptzRelease(camera);
      },
      act,
      refused: (text) => void latest.current.message.warning(text),
    });
    poller.start();
    return () => poller.stop();
  }, []);
}

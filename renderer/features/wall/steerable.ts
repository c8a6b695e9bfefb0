import { canSteer } from '../../model/capabilities';
import { selectAccountById } from '../../stores/accounts/selectors';
import { useAccountsStore } from '../../stores/accounts/store';
import { selectHasPtz } from '../../stores/wall/selectors';
import { useWallStore } from '../../stores/wall/store';

/**
 * Whether the keys and the gamepad steer this pane now: as the pad, only a PTZ camera on a
 * platform that offers PTZ control (read at the moment of the key or button, not subscribed).
 */
export function steerable(pane: { accountId: string; channelId: string }): boolean {
  return canSteer(
    selectAccountById(pane.accountId)(useAccountsStore.getState()),
    selectHasPtz(pane.accountId, pane.channelId)(useWallStore.getState()),
  );
}

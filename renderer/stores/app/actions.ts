import { invoke } from '../../ipc';

/** Another window on the wall (Electron: on another display); `opened` false where the host cannot. */
export const openWindow = () => invoke('app:openWindow', {});

import type { RequestOf } from '../../../preload/contract';
import { invoke } from '../../ipc';

/** The health page's one question to main: an account's devices and channels, online or not. */
export const healthSummary = (req: RequestOf<'health:summary'>) => invoke('health:summary', req);

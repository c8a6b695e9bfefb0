import type { RequestOf } from '../../../preload/contract';
import { invoke } from '../../ipc';

/** One door per recorded-video operation a pane needs: the source under the cursor, and a device session's pace. */
export const playbackSource = (req: RequestOf<'playback:source'>) => invoke('playback:source', req);
export const playbackControl = (req: RequestOf<'playback:control'>) => invoke('playback:control', req);

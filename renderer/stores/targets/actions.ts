import type { RequestOf } from '../../../preload/contract';
import { invoke } from '../../ipc';

/** Doors beside the library store: a target's picture, and which devices hold a library. */
export const targetPicture = (req: RequestOf<'targets:picture'>) => invoke('targets:picture', req);
export const libraryScopes = (req: RequestOf<'targets:scopes'>) => invoke('targets:scopes', req);

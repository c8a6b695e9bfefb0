import type { RequestOf } from '../../../preload/contract';
import { invoke } from '../../ipc';

/** Doors beside the library store: a target's picture, and which devices hold a library. */
export const targetPicture = (req: RequestOf<'library:picture'>) => invoke('library:picture', req);
export const libraryScopes = (req: RequestOf<'library:scopes'>) => invoke('library:scopes', req);

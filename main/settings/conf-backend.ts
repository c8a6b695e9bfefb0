import Conf from 'conf';
import type { BackendFactory } from './settings';

/** Browser host and tests: `conf`, the engine under electron-store (same file, atomic writes). */
export const confBackend: BackendFactory = ({ cwd, configName }) =>
  new Conf<Record<string, unknown>>({
    cwd,
    configName,
    projectName: 'vigil',
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
  });

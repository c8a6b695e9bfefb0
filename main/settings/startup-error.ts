/**
 * Vigil must not start: a settings file from a newer Vigil (starting would drop what this one
 * cannot read), or a data folder another Vigil is using. The browser host's CLI prints the message
 * in one line and exits non-zero; the Electron host shows it in a dialog and quits.
 *
 * In a module of its own (no zod, no settings schema) so the browser host can take the data
 * folder's lock and start listening before it loads the core.
 */
export class SettingsStartupError extends Error {
  constructor(
    readonly code: 'SETTINGS_NEWER' | 'DATA_FOLDER_IN_USE',
    message: string,
  ) {
    super(message);
    this.name = 'SettingsStartupError';
  }
}

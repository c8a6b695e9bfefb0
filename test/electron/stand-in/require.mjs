// CommonJS packages (electron-updater) `require("electron")`, which Node 20's loader hooks do not
// reach: the stand-in goes into the require cache under the file that name resolves to from the
// package (node_modules/electron/index.js, which would otherwise try to download Electron).
import Module, { createRequire } from 'node:module';
import electron from './electron.mjs';

/** Makes `require("electron")` inside `fromPackage` answer the stand-in; returns the undo. */
export function standInForRequire(fromPackage) {
  const require = createRequire(import.meta.url);
  const file = createRequire(require.resolve(fromPackage)).resolve('electron');
  const m = new Module(file);
  m.filename = file;
  m.loaded = true;
  m.exports = electron;
  require.cache[file] = m;
  return () => delete require.cache[file];
}

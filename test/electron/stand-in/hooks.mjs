// Module loader hook for the wiring test: `electron` (asked for by Vigil's main bundle and by
// electron-store) resolves to the recording stand-in next to this file. Nothing else changes.
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: new URL('./electron.mjs', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}

// Import boundaries from ../shared/design.md, enforced by lint (per-folder tsconfigs enforce libs).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** The renderer's import rules for `files` (minus `ignores`), plus `extra` restricted patterns. */
function rendererBlock(files, ignores, extra) {
  return {
    files: [files],
    ignores: ['renderer/vite.config.ts', ...ignores],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer never imports electron.' },
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The renderer has no Node: ask main through a store (renderer/stores/).',
            })),
          ],
          patterns: [
            { group: ['**/main/**', '**/main'], message: 'The renderer never imports main/.' },
            {
              group: ['**/preload/index', '**/preload/web'],
              message: 'The renderer uses window.vigil through renderer/ipc only.',
            },
            {
              group: ['**/preload/contract', '**/preload/contract/*'],
              allowTypeImports: true,
              message: 'Import the contract with `import type` only.',
            },
            ...extra,
          ],
        },
      ],
    },
  };
}

/** Only the Electron host may import electron (and electron-store, which imports it); main never imports renderer. */
const mainBase = {
  paths: [
    {
      name: 'electron',
      message: 'Only main/index.ts and main/host/electron.ts import electron: the core must run in plain Node.',
    },
    {
      name: 'electron-store',
      message: 'electron-store imports electron; use the settings backend passed in by the host.',
    },
  ],
  patterns: [{ group: ['**/renderer/**'], message: 'main never imports renderer/.' }],
};

const VENDORS = 'huawei-ivm|huawei-vis|tencent-ivc|aliyun-vcs';
/** A layer of main, as an import specifier names it (relative paths end in the folder or file). */
const layer = {
  services: { regex: '(^|/)services(/|$)', message: 'services are above this layer: it may not import them.' },
  host: {
    regex: '(^|/)host(/(?!paths$)|$)',
    message:
      'The hosts (main/host) are the top of main: nothing below imports them (host/paths is plain path helpers).',
  },
  ipc: {
    regex: '(^|/)ipc(/|$)',
    allowTypeImports: true,
    message: 'ipc dispatches to services; below it, only its types may be named.',
  },
  core: { regex: '(^|/)core$', message: 'main/core.ts wires everything: nothing it wires imports it.' },
  vendors: {
    regex: `(^|/)platforms/(${VENDORS})(/|$)`,
    message: 'Services reach a platform through accounts.platform() and the Platform interface, never a vendor folder.',
  },
};

/** Below services and platforms: plain I/O, storage and formats. */
const LOWER = ['services', 'host', 'ipc', 'core', 'vendors'];

/**
 * The table: folder → the layers it may not import. main/index.ts, main/host/ and main/core.ts are
 * the top and may import anything of main (electron only in the two Electron files); the contract
 * and the renderer have their own blocks below.
 */
const mainTable = {
  'main/services/**/*.ts': ['vendors', 'host', 'ipc', 'core'],
  'main/evidence/**/*.ts': ['vendors', 'host', 'ipc', 'core'],
  'main/platforms/**/*.ts': ['services', 'host', 'ipc', 'core'],
  'main/ipc/**/*.ts': ['services', 'host', 'core', 'vendors'],
  'main/media/**/*.ts': LOWER,
  'main/net/**/*.ts': LOWER,
  'main/storage/**/*.ts': LOWER,
  'main/vault/**/*.ts': LOWER,
  'main/settings/**/*.ts': LOWER,
  'main/formats/**/*.ts': LOWER,
};
const mainLayers = [
  ['main/**/*.ts', [], ['main/index.ts', 'main/host/electron.ts', ...Object.keys(mainTable)]],
  ...Object.entries(mainTable).map(([files, forbidden]) => [files, forbidden]),
];

function mainBlock(files, ignores, forbidden) {
  return {
    files: [files],
    ignores,
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: mainBase.paths,
          patterns: [...mainBase.patterns, ...forbidden.map((name) => layer[name])],
        },
      ],
    },
  };
}

const onlyStoresCallMain = {
  regex: '(^|/)ipc(/index)?$',
  message: 'Only stores call main: add an action to renderer/stores/<domain>/ and call that.',
};

/** A layer of renderer/media (and what is above it), as an import specifier names it. */
const mediaLayer = {
  app: {
    regex: '(^|/)(features|stores)(/|$)',
    message: 'renderer/media is below features and stores: what it needs of them is handed in.',
  },
  view: { regex: '(^|/)view/', message: 'media/view renders sessions: nothing below it imports it.' },
  session: {
    regex: '(^|/)session/(pane-session|usePlayer|components|reconnect|failure|stats)$',
    message:
      'The session drives engines and key frames: they never import it (its types, emitter and transcode words only).',
  },
  engines: { regex: '(^|/)engines/', message: 'Engines are above key frames and the budget: those never import them.' },
  keyFrames: { regex: '(^|/)key-frames/', message: 'The decode budget knows no key-frame machinery.' },
  budget: {
    regex: '(^|/)budget/',
    message: 'Engines and key frames are told their rate by the session; they never import the budget.',
  },
  window: {
    regex: '(^|/)media-window$',
    allowTypeImports: true,
    message: 'MediaWindow is made by the window and handed down: below the session, take its parts as arguments.',
  },
};
/** Folder → the layers it may not import. media-window.tsx and view/ are the top. */
const mediaTable = {
  'renderer/media/**/*.{ts,tsx}': ['app'],
  'renderer/media/session/**/*.ts': ['app', 'view'],
  'renderer/media/engines/**/*.ts': ['app', 'view', 'session', 'budget', 'window'],
  'renderer/media/key-frames/**/*.ts': ['app', 'view', 'session', 'engines', 'budget', 'window'],
  'renderer/media/budget/**/*.ts': ['app', 'view', 'session', 'engines', 'keyFrames', 'window'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Formatting is Prettier's (printWidth 120, `npm run format`); eslint checks meaning and layers only.
  prettier,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  // main's layer table (issue 23): each row's folder may not import the layers it names. Rows for
  // the same files would replace each other's no-restricted-imports, so each row carries the base rules.
  ...mainLayers.map(([files, forbidden, ignores = []]) => mainBlock(files, ignores, forbidden)),
  // The renderer: no Node, no electron, no main/; only stores reach main (renderer/ipc), stores never
  // import features, and the pure models import neither (issue 23's layer table, renderer half).
  rendererBlock(
    'renderer/**/*.{ts,tsx}',
    ['renderer/stores/**', 'renderer/ipc/**', 'renderer/model/**', 'renderer/media/**'],
    [onlyStoresCallMain],
  ),
  // renderer/media's own table: each folder may not import the layers it names (see its README).
  ...Object.entries(mediaTable).map(([files, forbidden]) =>
    rendererBlock(files, [], [onlyStoresCallMain, ...forbidden.map((name) => mediaLayer[name])]),
  ),
  rendererBlock(
    'renderer/stores/**/*.{ts,tsx}',
    [],
    [{ regex: '(^|/)features(/|$)', message: 'Stores never import features: move the pure part to renderer/model/.' }],
  ),
  rendererBlock('renderer/ipc/**/*.ts', [], []),
  rendererBlock(
    'renderer/model/**/*.ts',
    [],
    [
      {
        regex: '(^|/)(ipc|stores|features|media)(/|$)|^react(-dom)?(/|$)',
        message: 'renderer/model is pure: no IPC, stores, features, players or React.',
      },
    ],
  ),
  {
    // common/ is the bottom layer, pure TypeScript that main and the renderer share (VS Code's
    // common/): no DOM, no Node, no other folder of the app — it imports nothing but itself.
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./)', message: 'common/ imports nothing but itself (pure, no DOM, no Node).' }] },
      ],
    },
  },
  {
    // The contract is pure: zod, itself and the rules both sides share (common/).
    files: ['preload/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./|\\.\\./\\.\\./common/)',
              message: 'preload/contract imports zod and common/ only.',
            },
          ],
        },
      ],
    },
  },
  {
    // No import cycles between modules (type-only imports are erased at build and not counted).
    files: ['common/**/*.ts', 'main/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['preload/web.ts'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['test/**/*.{ts,mjs}', 'eslint.config.js', '.ci/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);

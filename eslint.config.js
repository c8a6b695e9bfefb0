// Import boundaries from ../shared/design.md, enforced by lint (per-folder tsconfigs enforce libs).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import prettier from 'eslint-config-prettier';

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
  {
    // Only the Electron host may import electron (and electron-store, which imports it).
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/host/electron.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
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
        },
      ],
    },
  },
  // The renderer: no Node, no electron, no main/; only stores reach main (renderer/ipc), stores never
  // import features, and the pure models import neither (issue 23's layer table, renderer half).
  rendererBlock(
    'renderer/**/*.{ts,tsx}',
    ['renderer/stores/**', 'renderer/ipc/**', 'renderer/model/**'],
    [
      {
        regex: '(^|/)ipc(/index)?$',
        message: 'Only stores call main: add an action to renderer/stores/<domain>/ and call that.',
      },
    ],
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
    // The contract is pure: zod and itself.
    files: ['preload/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!zod$|\\./)', message: 'preload/contract imports zod only.' }] },
      ],
    },
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

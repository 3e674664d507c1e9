// Zone boundaries (see README "Architecture"): the tree's three runtime zones are enforced
// here, so `npm run lint` fails the moment a file reaches across one.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// Bare built-in names are matched exactly (as `paths`), so a local './events' is not mistaken for Node's.
const bareBuiltins = [
  'fs',
  'fs/promises',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'tls',
  'stream',
  'url',
  'util',
  'events',
  'worker_threads',
  'buffer',
  'zlib',
  'dns',
  'process',
  'module',
];
const nodeBuiltins = ['node:*'];
const mainOnlyPackages = ['electron', 'keytar', 'undici', 'better-sqlite3', 'pg', 'conf', 'node-forge', 'electron-builder', '@electron/*'];

const ban = (groups, message) => ({ group: groups, message });

export const zoneRules = {
  shared: [
    ban(nodeBuiltins, 'shared/ runs anywhere: no Node built-ins.'),
    ban(mainOnlyPackages, 'shared/ runs anywhere: no main-process packages.'),
    ban(['react', 'react-dom', 'react/*', 'react-dom/*'], 'shared/ holds no UI code.'),
    ban(['**/electron/**', '**/renderer/**', '../electron', '../renderer'], 'shared/ may not import from electron/ or renderer/.'),
  ],
  renderer: [
    ban(nodeBuiltins, 'renderer/ is a sandboxed page: no Node built-ins.'),
    ban(mainOnlyPackages, 'renderer/ never touches secrets, the keychain or WeChat Pay.'),
    ban(['**/electron/**', '../electron', '../../electron'], 'renderer/ talks to the main process only through PosApi.'),
  ],
  electron: [ban(['**/renderer/**', '../renderer', '../../renderer', 'react', 'react-dom'], 'electron/ may not import renderer code.')],
};

const zone = (files, patterns, paths = []) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns, paths }], 'no-restricted-imports': 'off' },
});
const noBareBuiltins = (zoneName) => bareBuiltins.map((name) => ({ name, message: `${zoneName} may not use Node built-ins.` }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**', '.tmp/**', 'test/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  zone(['shared/**/*.ts'], zoneRules.shared, noBareBuiltins('shared/')),
  zone(['renderer/**/*.ts', 'renderer/**/*.tsx'], zoneRules.renderer, noBareBuiltins('renderer/')),
  {
    // Hooks called in order and effects that name what they read: a stale closure at the till
    // is a coupon redeemed against the previous order.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  zone(['electron/**/*.ts'], zoneRules.electron),
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', 'scripts/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);

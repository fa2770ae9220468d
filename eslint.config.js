// Typed ESLint for src/, test/ and bench/ (typescript-eslint with the type checker), and the plain rules for the
// .mjs build scripts. The core's purity is a rule here: src/core imports no Node.js module, no adapter and no gRPC.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'TextEncoder',
    'TextDecoder',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'performance',
    'structuredClone',
    'AbortController',
    'fetch',
    'SharedArrayBuffer',
    'Atomics',
    '__dirname',
  ].map((name) => [name, 'readonly']),
);

/** What the pure core must not import: any Node.js built-in (with or without `node:`), an adapter, gRPC or the Crossplane SDK. */
const CORE_IMPORTS = {
  paths: builtinModules
    .filter((name) => !name.startsWith('_'))
    .map((name) => ({ name, message: 'src/core does no I/O: no Node.js modules (pass what it needs in from the adapter).' })),
  patterns: [
    { group: ['node:*'], message: 'src/core does no I/O: no Node.js modules (pass what it needs in from the adapter).' },
    {
      group: ['**/krm/**', '**/crossplane/**', '**/tenant/**', '**/cli', '**/cli.js', '**/bin.cjs'],
      message: 'src/core knows no adapter: adapters import the core, never the other way.',
    },
    { group: ['@grpc/*', '@crossplane-org/*', 'auth0', 'js-yaml', 'yaml'], message: "src/core speaks no protocol and parses no YAML: that is the adapters' job." },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'src/core/schema/generated/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.cts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Promise-returning functions without await are deliberate (handlers and commands with an async signature).
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      // Control characters in patterns are what the sanitizers look for.
      'no-control-regex': 'off',
    },
  },
  {
    // vitest's asymmetric matchers (expect.any, expect.stringMatching) are typed `any`.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    // Whole CRDs, packages and README blocks read as untyped YAML trees, compared field by field.
    files: ['test/conformance/**/*.ts', 'test/docs/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // The executable's CommonJS wrapper is compiled on its own (esbuild), outside the TypeScript project.
  { files: ['**/*.cts'], extends: [tseslint.configs.disableTypeChecked], languageOptions: { globals: NODE_GLOBALS } },
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', CORE_IMPORTS] } },
  {
    // On Node.js 20 (V8 11) an object literal that starts with a spread and has more members makes a new hidden
    // class each time it runs (see withFields in src/core/records.ts). Code that runs per stream, per item or per
    // call uses withFields; what runs once (configuration, schemas, start-up) may spread.
    files: ['src/core/**/*.ts', 'src/krm/**/*.ts', 'src/crossplane/**/*.ts'],
    ignores: ['src/core/config.ts', 'src/core/schema/**', 'src/core/records.ts', 'src/krm/yaml.ts', 'src/crossplane/server.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ *',
          message: 'On Node.js 20, `{ ...a, b }` makes a new hidden class every time: use withFields(a, { b }) (src/core/records.ts), or start the literal with a property.',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', 'eslint.config.js'],
    languageOptions: { sourceType: 'module', globals: NODE_GLOBALS },
  },
);

import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Playwright fixtures look like hooks (`use`) and take `{}` by convention.
    files: ['tests/e2e/**/*.ts', 'tests/firefox/**/*.ts', 'tests/support/worker-fixture.ts'],
    rules: { 'react-hooks/rules-of-hooks': 'off', 'no-empty-pattern': 'off' },
  },
  {
    // lib/ is the framework-free core: it runs in Node and in the worker, with everything injected.
    files: ['lib/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'chrome', 'browser', 'localStorage', 'navigator'],
      'no-restricted-imports': ['error', { patterns: ['wxt/*', 'react', 'react-dom', 'react-dom/*'] }],
    },
  },
);

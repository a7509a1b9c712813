/** The lint rules every package shares: recommended JS + TypeScript rules and our conventions. */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export const ignores = {
  ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**'],
};

export const base = [
  ignores,
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Narrow or fail with a clear error instead of silencing the checker.
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
];

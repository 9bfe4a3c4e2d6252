// Lint rules that hold the architecture in place: 'electron' only in the shell and the preload,
// the renderer never reaches into main, shared imports nothing but zod.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

const noElectron = {
  name: 'electron',
  message: "Only src/main/index.ts, src/main/electron/ and src/preload/ may import 'electron' (its binary is absent in tests)."
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [noElectron] }]
    }
  },
  {
    files: ['src/main/index.ts', 'src/main/electron/**', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { group: ['**/main/**', '**/main'], message: 'The renderer never imports main-process code; go through window.keydesk.' },
            { group: ['**/sandbox/**', 'node:*', 'fs', 'path', 'keytar', 'fastify'], message: 'The renderer runs in a sandboxed page without Node.' }
          ]
        }
      ]
    }
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [{ regex: '^(?!zod$|\\./)', message: 'src/shared imports nothing but zod and its own modules.' }]
        }
      ]
    }
  }
)

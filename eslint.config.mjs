// Lint rules that hold the architecture in place (docs/ARCHITECTURE.md, "Ownership"):
// - 'electron' only in the shell (src/main/index.ts, src/main/electron/) and the preload;
// - the sandbox never imports main; src/node (Node-only code they share) is for main and the sandbox;
// - the renderer never imports main, the preload, the sandbox, src/node or Node built-ins;
// - the preload imports only shared (and electron); shared imports nothing but zod;
// - a renderer feature (src/renderer/src/features/<name>/) is imported only through its index.ts,
//   and no feature imports from src/renderer/src/app/.
// test/unit/architecture/lint-boundaries.test.ts proves each rule bites.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import prettier from 'eslint-config-prettier'

const noElectron = {
  name: 'electron',
  message: "Only src/main/index.ts, src/main/electron/ and src/preload/ may import 'electron' (its binary is absent in tests)."
}
const noMain = { group: ['**/main/**', '**/main'], message: 'Only main imports main-process code.' }
const noRenderer = { group: ['**/renderer/**', '**/renderer'], message: 'Nothing imports the renderer; it is a page of its own.' }
const noPreload = { group: ['**/preload/**', '**/preload'], message: 'Nothing imports the preload; shared code (createBridge) lives in src/shared.' }
const noSandbox = { group: ['**/sandbox/**', '**/sandbox'], message: 'Only main (the embedded sandbox) imports the sandbox.' }
const noNodeShared = { group: ['**/node/**', '**/node'], message: 'src/node is Node-only code for main and the sandbox.' }
const rendererPatterns = [
  { group: ['**/main/**', '**/main'], message: 'The renderer never imports main-process code; go through window.keydesk.' },
  { group: ['**/preload/**', '**/preload'], message: 'The renderer never imports the preload; createBridge and its types are in src/shared.' },
  noNodeShared,
  { group: ['**/sandbox/**', 'node:*', 'fs', 'path', 'keytar', 'fastify'], message: 'The renderer runs in a sandboxed page without Node.' }
]
/** From outside the features folder (App.tsx, app/), a feature is features/<name>: its index.ts. */
const featureSurface = {
  regex: '(^|/)features/[^/]+/(?!index$)',
  message: "Import a feature through its index.ts ('features/<name>'), never its files."
}
/** One area's import boundary: its forbidden modules (paths) and patterns. */
const boundary = (files, paths, patterns = []) => ({ files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } })

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**', 'bench/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [noElectron] }]
    }
  },
  // Main: never the renderer or the preload; 'electron' only in the shell.
  boundary(['src/main/**'], [noElectron], [noRenderer, noPreload]),
  boundary(['src/main/index.ts', 'src/main/electron/**'], [], [noRenderer, noPreload]),
  boundary(['src/sandbox/**'], [noElectron], [noMain, noRenderer, noPreload]),
  boundary(['src/node/**'], [noElectron], [noMain, noSandbox, noRenderer, noPreload]),
  // A sandboxed preload can load nothing but 'electron' at run time; the rest is bundled from shared.
  boundary(
    ['src/preload/**'],
    [],
    [{ regex: '^(?!electron$|\\.\\./shared/(?!.*\\.\\.))', message: "src/preload imports only src/shared and 'electron'." }]
  ),
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [...rendererPatterns, featureSurface] }]
    }
  },
  // Inside a feature, a sibling feature is "../<name>" (its index.ts), and app/ is the shell above them all.
  {
    files: ['src/renderer/src/features/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            ...rendererPatterns,
            featureSurface,
            { regex: '^\\.\\./(?!\\.)[^/]+/(?!index$)', message: "Import another feature through its index.ts ('../<feature>'), never its files." },
            { regex: '^(\\.\\./)+app(/|$)', message: 'Features never import from app/: app composes features, not the other way round.' }
          ]
        }
      ]
    }
  },
  boundary(
    ['src/shared/**'],
    [noElectron],
    [
      { regex: '^(?!zod$|\\./)', message: 'src/shared imports nothing but zod and its own modules.' },
      { regex: '(^|/)\\.\\.(/|$)', message: 'src/shared never reaches out of its folder.' }
    ]
  ),
  // Formatting is Prettier's (`prettier --check .` in npm run lint): stylistic rules that would fight it are off.
  prettier
)

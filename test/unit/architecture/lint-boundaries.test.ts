import { resolve } from 'node:path'
import { existsSync, readdirSync } from 'node:fs'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

// Issue 13: the import boundaries between areas are lint rules (eslint.config.mjs). Each case
// lints one import, in memory, as if written in a file of that area, against the repo's config.
const root = resolve(__dirname, '../../..')
let eslint: ESLint
beforeAll(() => {
  eslint = new ESLint({ cwd: root, overrideConfigFile: resolve(root, 'eslint.config.mjs') })
})

async function refused(file: string, specifier: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import * as m from '${specifier}'\nexport const used = m\n`, { filePath: resolve(root, file) })
  return result!.messages.some((m) => m.ruleId === 'no-restricted-imports')
}

const cases: Array<[area: string, file: string, forbidden: string[], allowed: string[]]> = [
  [
    'the sandbox never imports main',
    'src/sandbox/probe.ts',
    ['../main/core/log', '../main/core/fs/export-file', '../renderer/src/lib/api', '../preload/index', 'electron'],
    ['../node/fs/atomic-write', '../shared/contract', './store', 'fastify', 'node:fs']
  ],
  [
    'the renderer never imports main, the preload or Node code',
    'src/renderer/src/lib/probe.ts',
    ['../../../main/core/log', '../../../preload/index', '../../../node/fs/atomic-write', '../../../sandbox/store', 'node:fs', 'electron'],
    ['../../../shared/bridge', './api', 'react']
  ],
  [
    'the preload imports only shared and electron',
    'src/preload/probe.ts',
    ['../main/core/log', '../node/fs/atomic-write', './other', 'zod', '../shared/../main/core/log'],
    ['../shared/bridge', 'electron']
  ],
  [
    'shared imports only zod',
    'src/shared/probe.ts',
    ['../main/core/log', '../node/fs/atomic-write', './../main/core/log', 'node:fs', 'electron', 'react'],
    ['zod', './contract']
  ],
  [
    'src/node is imported by main and the sandbox only, and imports neither',
    'src/node/fs/probe.ts',
    ['../../main/core/log', '../../sandbox/store', '../../renderer/src/lib/api', 'electron'],
    ['node:fs', './atomic-write', '../../shared/contract']
  ],
  [
    'main never imports the renderer or the preload; electron only in the shell',
    'src/main/core/probe.ts',
    ['../../renderer/src/lib/api', '../../preload/index', 'electron'],
    ['../../node/fs/atomic-write', '../../sandbox/server', '../../shared/contract', './log']
  ],
  [
    'a feature imports another feature only through its index.ts, and never app/',
    'src/renderer/src/features/radar/probe.ts',
    ['../keys/queries', '../keys/RevokeDialog', '../bulk/plan', '../../app/Dialogs', '../../app', '../../../../main/core/log', 'node:fs'],
    ['../keys', '../keys/index', './queries', './words', '../../lib/api', '../../ui/Dialog', '../../../../shared/contract', 'react']
  ],
  [
    'app/ and App.tsx reach a feature only through its index.ts',
    'src/renderer/src/app/probe.ts',
    ['../features/keys/KeysView', '../features/radar/radar-store'],
    ['../features/keys', '../features/radar/index', '../lib/store', './queries']
  ],
  ['the root component too', 'src/renderer/src/probe.tsx', ['./features/tenants/Sidebar'], ['./features/tenants', './app/Dialogs', './lib/store']],
  ['the shell may import electron', 'src/main/electron/probe.ts', ['../../renderer/src/lib/api', '../../preload/index'], ['electron', '../core/log']]
]

describe('lint enforces the import boundaries', () => {
  it.each(cases)(
    '%s',
    async (_area, file, forbidden, allowed) => {
      const verdicts = async (specs: string[]) => Object.fromEntries(await Promise.all(specs.map(async (s) => [s, await refused(file, s)] as const)))
      expect(await verdicts(forbidden)).toEqual(Object.fromEntries(forbidden.map((s) => [s, true])))
      expect(await verdicts(allowed)).toEqual(Object.fromEntries(allowed.map((s) => [s, false])))
    },
    60_000
  )
})

describe('renderer features', () => {
  it('each has an index.ts, the only way in from outside', () => {
    const dir = resolve(root, 'src/renderer/src/features')
    const features = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())
    expect(features.length).toBeGreaterThan(5)
    expect(features.filter((d) => !existsSync(resolve(dir, d.name, 'index.ts'))).map((d) => d.name)).toEqual([])
  })
})

import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHANNELS } from '../../../src/shared/contract'

// Issue 13: one handler file per area; core/index.ts only wires them. Read as text because the
// handlers need a whole core to be built: what matters here is where each one is written.
const core = resolve(__dirname, '../../../src/main/core')
const handlerDir = join(core, 'handlers')
const definedIn = (text: string, channel: string) => new RegExp(`['"]${channel.replace('.', '\\.')}['"]\\s*:`).test(text)

describe('handler files', () => {
  it('core/index.ts defines no handler itself', () => {
    const index = readFileSync(join(core, 'index.ts'), 'utf8')
    expect(CHANNELS.filter((c) => definedIn(index, c))).toEqual([])
  })

  it('every channel is defined in exactly one handlers/<area>.ts', () => {
    const files = readdirSync(handlerDir).filter((f) => f.endsWith('.ts'))
    const texts = files.map((f) => [f, readFileSync(join(handlerDir, f), 'utf8')] as const)
    const homes = Object.fromEntries(CHANNELS.map((c) => [c, texts.filter(([, t]) => definedIn(t, c)).map(([f]) => f)]))
    for (const c of CHANNELS) expect(homes[c], c).toHaveLength(1)
  })
})

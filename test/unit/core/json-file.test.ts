import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createJsonFile } from '../../../src/main/core/fs/json-file'
import { silentLogger } from '../../../src/main/core/log'
import { createSettingsStore, SETTINGS_FILE } from '../../../src/main/core/settings-store'
import { SettingsSchema } from '../../../src/shared/contract'

const Counter = z.object({ n: z.number().int(), tags: z.array(z.string()).default([]) })
type Counter = z.infer<typeof Counter>
const dir = () => mkdtempSync(join(tmpdir(), 'keydesk-json-'))
const counter = (path: string, extra: Partial<Parameters<typeof createJsonFile<Counter>>[0]> = {}) =>
  createJsonFile<Counter>({
    path,
    schema: Counter,
    defaults: () => ({ n: 0, tags: [] }),
    log: silentLogger,
    now: () => Date.UTC(2026, 0, 2),
    ...extra
  })

describe('createJsonFile', () => {
  it('starts from defaults when the file is missing and writes nothing until an update', async () => {
    const d = dir()
    const f = counter(join(d, 'c.json'))
    expect(await f.read()).toEqual({ n: 0, tags: [] })
    expect(readdirSync(d)).toEqual([])
  })

  it('serializes updates: each runs on the previous result, and all land on disk', async () => {
    const d = dir()
    const f = counter(join(d, 'c.json'))
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        f.update(async (c) => {
          await new Promise((r) => setTimeout(r, (i * 7) % 3))
          return { ...c, n: c.n + 1 }
        })
      )
    )
    expect((await f.read()).n).toBe(25)
    expect(await counter(join(d, 'c.json')).read()).toEqual({ n: 25, tags: [] })
    expect(readdirSync(d)).toEqual(['c.json']) // no temp files left
  })

  it.skipIf(process.platform === 'win32')('writes atomically with mode 0600', async () => {
    const d = dir()
    writeFileSync(join(d, 'c.json'), '{"n":1}', { mode: 0o644 })
    await counter(join(d, 'c.json')).update((c) => ({ ...c, n: 2 }))
    expect(statSync(join(d, 'c.json')).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(join(d, 'c.json'), 'utf8'))).toEqual({ n: 2, tags: [] })
  })

  it('sets a corrupt file aside once (also under concurrent first reads) and starts from defaults', async () => {
    for (const bad of ['{"n": 1', '{"n": "one"}']) {
      const d = dir()
      writeFileSync(join(d, 'c.json'), bad)
      const onSetAside = vi.fn()
      const f = counter(join(d, 'c.json'), { onSetAside })
      const reads = await Promise.all([f.read(), f.read(), f.read()])
      expect(reads).toEqual([
        { n: 0, tags: [] },
        { n: 0, tags: [] },
        { n: 0, tags: [] }
      ])
      expect(readdirSync(d)).toEqual(['c.json.corrupt-2026-01-02T00-00-00-000Z'])
      expect(onSetAside).toHaveBeenCalledTimes(1)
      expect(onSetAside).toHaveBeenCalledWith(join(d, 'c.json.corrupt-2026-01-02T00-00-00-000Z'))
      expect(readFileSync(join(d, 'c.json.corrupt-2026-01-02T00-00-00-000Z'), 'utf8')).toBe(bad)
    }
  })

  it('migrates an older shape before checking it, and writes what serialize returns', async () => {
    const d = dir()
    writeFileSync(join(d, 'c.json'), '7')
    const f = counter(join(d, 'c.json'), {
      migrate: (raw) => (typeof raw === 'number' ? { n: raw } : raw),
      serialize: (c) => ({ version: 2, ...c })
    })
    expect(await f.read()).toEqual({ n: 7, tags: [] })
    await f.update((c) => ({ ...c, tags: ['x'] }))
    expect(JSON.parse(readFileSync(join(d, 'c.json'), 'utf8'))).toEqual({ version: 2, n: 7, tags: ['x'] })
  })

  it('skips the write when an update returns the value unchanged', async () => {
    const d = dir()
    const f = counter(join(d, 'c.json'))
    await f.update((c) => c)
    expect(readdirSync(d)).toEqual([])
  })

  it('a failed write keeps the previous value and does not block the next update', async () => {
    const d = join(dir(), 'not-yet')
    const f = counter(join(d, 'c.json'))
    await expect(f.update((c) => ({ ...c, n: 1 }))).rejects.toMatchObject({ code: 'ENOENT' })
    expect(f.peek()).toEqual({ n: 0, tags: [] })
    mkdirSync(d)
    expect(await f.update((c) => ({ ...c, n: c.n + 5 }))).toEqual({ n: 5, tags: [] })
  })
})

describe('settings.json through createJsonFile', () => {
  it('sets a corrupt settings file aside instead of overwriting it on the next update', async () => {
    const d = dir()
    writeFileSync(join(d, SETTINGS_FILE), '{"reserveFraction": 7}')
    const store = createSettingsStore(d, silentLogger, () => Date.UTC(2026, 0, 2))
    // The defaults, not the out-of-range value.
    expect(await store.get()).toEqual(SettingsSchema.parse({}))
    await store.update({ probeIntervalSeconds: 30 })
    expect(readdirSync(d).sort()).toEqual([SETTINGS_FILE, `${SETTINGS_FILE}.corrupt-2026-01-02T00-00-00-000Z`])
    expect(readFileSync(join(d, `${SETTINGS_FILE}.corrupt-2026-01-02T00-00-00-000Z`), 'utf8')).toBe('{"reserveFraction": 7}')
  })
})

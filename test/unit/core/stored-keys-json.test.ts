import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fleetHandlers, type FleetDeps } from '../../../src/main/core/handlers/fleet'
import { silentLogger } from '../../../src/main/core/log'
import { createRouter, type Handlers } from '../../../src/main/core/router'
import { createFleetStore, type FleetStore } from '../../../src/main/core/store/fleet-store'
import type { ProfileStore } from '../../../src/main/core/tenants/profile-store'
import type { ApiKey } from '../../../src/shared/meshqu'
import { makeKey } from '../../fixtures/keys'

/**
 * keys.fromStore sends the stored rows as one JSON text that only the renderer parses: the
 * renderer must get exactly the keys keysOf() reads, in the same order (the head, the view's
 * ties and the warm switch's kept work all rely on that order).
 */
const NOW = Date.parse('2026-11-23T12:00:00Z')
const DAY = 24 * 60 * 60 * 1000
const iso = (ms: number) => new Date(ms).toISOString()

let store: FleetStore
let route: ReturnType<typeof createRouter>
let n = 0
beforeAll(() => {
  const key = randomBytes(32)
  store = createFleetStore({
    path: join(mkdtempSync(join(tmpdir(), 'keydesk-keys-json-')), 'keydesk.db'),
    dataKey: async () => key,
    log: silentLogger,
    now: () => NOW
  })
  const handlers = fleetHandlers({
    store,
    trust: { incidents: () => [], held: () => null, acknowledge: async () => {} } as unknown as FleetDeps['trust'],
    profiles: {} as ProfileStore,
    storePath: 'keydesk.db',
    now: () => NOW,
    startNew: async () => {}
  })
  route = createRouter(handlers as Handlers, silentLogger, () => NOW)
})
afterAll(() => store.close())

/**
 * What the renderer gets from keys.fromStore through the real router, parsed as its keys query
 * does (parseStoredList: one JSON.parse of the text; test/unit/renderer/keys/stored-list.test.ts).
 */
async function rendererList(tenant: string) {
  const reply = await route('keys.fromStore', { tenant })
  if (!reply.ok) throw new Error(reply.error.message)
  const data = reply.data as { keysJson: string; syncedAt: number } | null
  return data && { keys: JSON.parse(data.keysJson) as ApiKey[], syncedAt: data.syncedAt }
}

// Text a JSON join must carry as is: quotes, backslashes, line and paragraph separators, emoji.
const awkward = fc.constantFrom('plain', 'say "hi"', 'back\\slash', 'line\u2028break\u2029', 'tab\there', 'ключ 🔑', '</script>', '')
const created = fc.constantFrom(NOW - 3 * DAY, NOW - DAY, NOW - DAY, NOW - 1).map(iso)
const keyList = fc
  .array(
    fc.record({
      name: awkward,
      created_at: created,
      scopes: fc.array(awkward, { maxLength: 3 }),
      created_by: fc.option(awkward, { nil: null }),
      expires_at: fc.option(fc.constantFrom(NOW - DAY, NOW + 3 * DAY).map(iso), { nil: null }),
      revoked_at: fc.option(fc.constant(iso(NOW - DAY)), { nil: null })
    }),
    { maxLength: 40 }
  )
  .map((specs) => specs.map((s, i) => makeKey(`id-${String(i).padStart(3, '0')}`, s)))

describe('keys.fromStore as JSON text', () => {
  it('gives the renderer the keys keysOf() reads, in the same order, after syncs that reorder the rows', async () => {
    await fc.assert(
      fc.asyncProperty(keyList, keyList, async (first, second) => {
        const tenant = `t${++n}`
        // Two syncs: the first's rows keep their rowids, vanished ones stay unlisted, ties abound.
        await store.syncKeys(tenant, first, 1)
        await store.syncKeys(tenant, [...second].reverse(), 2)
        await store.syncKeys(`${tenant}-other`, first, 3)
        const expected = (await store.keysOf(tenant))!
        const got = (await rendererList(tenant))!
        expect(got.syncedAt).toBe(2)
        expect(got.keys).toEqual(expected.keys)
        expect(got.keys.map((k) => k.id)).toEqual(expected.keys.map((k) => k.id))
      }),
      { numRuns: 60 }
    )
  })

  it('is one JSON array of the stored rows, and the reply carries it untouched', async () => {
    const keys: ApiKey[] = [makeKey('a', { created_at: iso(NOW - DAY) }), makeKey('b', { created_at: iso(NOW - 1), name: 'x "y" \u2028' })]
    await store.syncKeys('plain', keys, 9)
    const text = (await store.keysJsonOf('plain'))!
    expect(text.syncedAt).toBe(9)
    expect(text.keysJson.startsWith('[') && text.keysJson.endsWith(']')).toBe(true)
    const reply = await route('keys.fromStore', { tenant: 'plain' })
    expect(reply).toMatchObject({ ok: true, data: { keysJson: text.keysJson, syncedAt: 9 }, meta: { servedFrom: 'local', syncedAt: 9 } })
    // Newest first, as keysOf() reads.
    expect(JSON.parse(text.keysJson)).toEqual([keys[1], keys[0]])
  })

  it('is an empty array for an empty list, and null for a tenant never synced', async () => {
    await store.syncKeys('empty', [], 4)
    expect(await store.keysJsonOf('empty')).toEqual({ keysJson: '[]', syncedAt: 4 })
    expect(await rendererList('empty')).toEqual({ keys: [], syncedAt: 4 })
    expect(await store.keysJsonOf('never')).toBeNull()
    expect(await rendererList('never')).toBeNull()
  })
})

import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createFleetStore } from '../../../src/main/core/store/fleet-store'
import type { RadarTenant } from '../../../src/main/core/store/radar'
import { DEFAULT_RADAR_RULES } from '../../../src/shared/radar'
import type { JournalAction, JournalOutcome } from '../../../src/shared/journal'
import { silentLogger } from '../../../src/main/core/log'
import { makeKey } from '../../fixtures/keys'

// The comparison each sync makes (store/outside-changes.ts), on a real encrypted store in this
// thread: what the previous sync and the journal explain, and what they do not.
const stores: ReturnType<typeof createFleetStore>[] = []
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close()
})
function open() {
  const key = randomBytes(32)
  const store = createFleetStore({
    path: join(mkdtempSync(join(tmpdir(), 'keydesk-outside-')), 'k.db'),
    dataKey: async () => key,
    log: silentLogger,
    now: () => 50
  })
  stores.push(store)
  return store
}
const T: RadarTenant = { tenant: 't1', rules: DEFAULT_RADAR_RULES.production, ownAdminPreview: null }
async function counts(store: ReturnType<typeof open>) {
  const c = (await store.radar.summary([T], 1_000)).get('t1')!.counts
  return { created: c['created-outside'], revoked: c['revoked-outside'] }
}
const journal = (
  store: ReturnType<typeof open>,
  keyId: string,
  action: JournalAction,
  outcome: JournalOutcome = 'ok',
  refSeq: number | null = null
) =>
  store.journal.append({
    at: 10,
    tenantId: 't1',
    tenantLabel: 'acme',
    action,
    outcome,
    errorCode: null,
    keyId,
    keyName: null,
    keyPreview: null,
    reason: null,
    detail: null,
    jobId: null,
    refSeq
  })
const revoked = (id: string, by: string | null = 'console') =>
  makeKey(id, { revoked_at: '2026-02-01T00:00:00.000Z', revoked_by: by, is_active: false })

describe('changes made outside KeyDesk, found by each sync', () => {
  it('the first sync is the baseline; new keys and new revokes after it are found, with the acting key named', async () => {
    const store = open()
    await store.syncKeys('t1', [makeKey('console', { name: 'ops-console' }), makeKey('a')], 1)
    expect(await counts(store)).toEqual({ created: 0, revoked: 0 })
    await store.syncKeys('t1', [makeKey('console', { name: 'ops-console' }), revoked('a'), makeKey('b', { created_by: 'console' })], 2)
    expect(await counts(store)).toEqual({ created: 1, revoked: 1 })
    expect(await store.outside.foundAt('t1', 2)).toEqual([
      expect.objectContaining({ kind: 'created', keyId: 'b', actor: 'console', actorName: 'ops-console', foundAt: 2 }),
      expect.objectContaining({ kind: 'revoked', keyId: 'a', actor: 'console', actorName: 'ops-console', changedAt: '2026-02-01T00:00:00.000Z' })
    ])
    // Found once: the next sync finds nothing new, and what was found stays until acknowledged.
    await store.syncKeys('t1', [makeKey('console'), revoked('a'), makeKey('b', { created_by: 'console' })], 3)
    expect(await store.outside.foundAt('t1', 3)).toEqual([])
    expect(await counts(store)).toEqual({ created: 1, revoked: 1 })
  })

  it("KeyDesk's own writes are not found: a key it stored at once, or one its journal names (also one written after the sync)", async () => {
    const store = open()
    await store.syncKeys('t1', [makeKey('a'), makeKey('b')], 1)
    // Created and revoked through KeyDesk: the store has the key as MeshQu answered, before the next sync.
    await store.putKey('t1', makeKey('mine'))
    await store.putKey('t1', revoked('a', 'keydesk'))
    // Created through KeyDesk, but the sync ran before the write reached the store and journal.
    await store.syncKeys('t1', [revoked('a', 'keydesk'), makeKey('b'), makeKey('mine'), makeKey('raced')], 2)
    expect(await counts(store)).toEqual({ created: 1, revoked: 0 })
    await journal(store, 'raced', 'key.create')
    expect(await counts(store)).toEqual({ created: 0, revoked: 0 })
    // A revoke journaled by a bulk job explains the revoke; a failed attempt explains nothing.
    await journal(store, 'b', 'bulk.revoke', 'failed')
    await store.syncKeys('t1', [revoked('a', 'keydesk'), revoked('b'), makeKey('mine'), makeKey('raced')], 3)
    expect(await counts(store)).toEqual({ created: 0, revoked: 1 })
    await journal(store, 'b', 'bulk.revoke')
    expect(await counts(store)).toEqual({ created: 0, revoked: 0 })
  })

  it("an unknown create settled as applied is KeyDesk's; a settlement of a revoke does not explain a creation", async () => {
    const store = open()
    await store.syncKeys('t1', [makeKey('a')], 1)
    const unknownCreate = await journal(store, 'x', 'key.create', 'unknown')
    const unknownRevoke = await journal(store, 'a', 'key.revoke', 'unknown')
    await journal(store, 'c', 'settlement', 'applied', unknownCreate.seq)
    await journal(store, 'd', 'settlement', 'applied', unknownRevoke.seq)
    await store.syncKeys('t1', [makeKey('a'), makeKey('c'), makeKey('d')], 2)
    expect((await store.outside.foundAt('t1', 2)).map((f) => f.keyId)).toEqual(['d'])
  })

  it('acknowledged once; a created key revoked since leaves the radar; removing the tenant clears its findings', async () => {
    const store = open()
    await store.syncKeys('t1', [makeKey('a')], 1)
    await store.syncKeys('t1', [makeKey('a'), makeKey('b'), makeKey('c')], 2)
    expect(await store.outside.acknowledge('t1', 'created', 'b', 5)).toMatchObject({ keyId: 'b', keyName: 'key-b' })
    expect(await store.outside.acknowledge('t1', 'created', 'b', 6)).toBeNull()
    expect(await store.outside.acknowledge('t1', 'revoked', 'c', 6)).toBeNull()
    expect(await counts(store)).toEqual({ created: 1, revoked: 0 })
    await store.putKey('t1', revoked('c', 'keydesk'))
    expect(await counts(store)).toEqual({ created: 0, revoked: 0 })
    await store.removeTenant('t1')
    const db = await store.database()
    expect(db.prepare('SELECT count(*) FROM outside_changes').pluck().get()).toBe(0)
  })
})

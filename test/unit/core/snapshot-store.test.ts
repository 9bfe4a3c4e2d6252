import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createSnapshotStore, type Snapshot } from '../../../src/main/core/cache/snapshot-store'
import { createDataKeyProvider, CACHE_KEY_ACCOUNT } from '../../../src/main/core/cache/data-key'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../../src/main/core/log'
import * as atomic from '../../../src/main/core/fs/atomic-write'

const keyRow = (i: number) => ({
  id: `id-${i}`, tenant_id: 't', name: `payments-gateway-${i}`, key_preview: `mqu_live_...Q${String(i).padStart(3, '0')}`,
  scopes: ['decisions:evaluate' as const], expires_at: null, last_used_at: null, is_active: true,
  created_at: '2026-01-01T00:00:00Z', created_by: null, revoked_at: null, revoked_by: null
})
const snap = (profileId: string, n = 3, syncedAt = 1000): Snapshot => ({
  version: 1, profileId, syncedAt, keys: Array.from({ length: n }, (_, i) => keyRow(i)), rateLimitHistory: []
})
const setup = (dir = mkdtempSync(join(tmpdir(), 'keydesk-snap-')), key = randomBytes(32)) => ({
  dir,
  key,
  store: createSnapshotStore({ dir, dataKey: async () => key, log: silentLogger })
})

describe('snapshot store', () => {
  it('round-trips a snapshot, encrypted: no name or preview in the file', async () => {
    const { dir, store } = setup()
    await store.save(snap('p1'))
    expect(await store.load('p1')).toEqual(snap('p1'))
    const raw = readFileSync(join(dir, 'p1.snapshot'))
    expect(raw.includes('payments-gateway')).toBe(false)
    expect(raw.includes('mqu_live_')).toBe(false)
    expect(raw.subarray(0, 4).toString()).toBe('KDC1')
  })

  it('keeps the previous snapshot when a write dies half-way', async () => {
    const { dir, store } = setup()
    await store.save(snap('p1', 3, 1000))
    const spy = vi.spyOn(atomic, 'atomicWriteFile').mockRejectedValueOnce(new Error('ENOSPC: simulated crash'))
    await expect(store.save(snap('p1', 50, 2000))).rejects.toThrow(/ENOSPC/)
    spy.mockRestore()
    expect((await store.load('p1'))?.syncedAt).toBe(1000)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('a real atomic write leaves no partial file when the process dies before rename', async () => {
    // Simulate the crash window: a temp file was written but never renamed over the snapshot.
    const { dir, store } = setup()
    await store.save(snap('p1', 2, 1000))
    writeFileSync(join(dir, '.p1.snapshot.deadbeef.tmp'), 'half')
    expect((await store.load('p1'))?.syncedAt).toBe(1000)
  })

  it('sets aside a tampered file with a warning and carries on', async () => {
    const { dir, store } = setup()
    await store.save(snap('p1'))
    const path = join(dir, 'p1.snapshot')
    const bytes = readFileSync(path)
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 5) ^ 0xff, bytes.length - 5)
    writeFileSync(path, bytes)
    expect(await store.load('p1')).toBeNull()
    expect(store.warnings()[0]).toMatch(/set aside/)
    expect(readdirSync(dir).some((f) => f.startsWith('p1.snapshot.unreadable-'))).toBe(true)
    await store.save(snap('p1', 1, 5))
    expect((await store.load('p1'))?.keys).toHaveLength(1)
  })

  it('refuses a snapshot under the wrong data key or copied to another profile', async () => {
    const { dir, store } = setup()
    await store.save(snap('p1'))
    const other = createSnapshotStore({ dir, dataKey: async () => randomBytes(32), log: silentLogger })
    expect(await other.load('p1')).toBeNull()

    const b = setup()
    await b.store.save(snap('p1'))
    writeFileSync(join(b.dir, 'p2.snapshot'), readFileSync(join(b.dir, 'p1.snapshot')))
    expect(await b.store.load('p2')).toBeNull()
  })

  it('sets aside garbage and answers null when there is nothing', async () => {
    const { dir, store } = setup()
    expect(await store.load('nothing')).toBeNull()
    writeFileSync(join(dir, 'p3.snapshot'), 'not a snapshot at all')
    expect(await store.load('p3')).toBeNull()
  })

  it('bounds the size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-snap-'))
    const store = createSnapshotStore({ dir, dataKey: async () => randomBytes(32), log: silentLogger, maxBytes: 2000 })
    expect(await store.save(snap('p1', 100))).toBe(false)
    expect(await store.save(snap('p1', 2))).toBe(true)
  })

  it('removes a tenant snapshot', async () => {
    const { store } = setup()
    await store.save(snap('p1'))
    await store.remove('p1')
    expect(await store.load('p1')).toBeNull()
  })
})

describe('cache data key', () => {
  it('is created once in the keychain and reused', async () => {
    const secrets = createMemorySecretStore()
    const a = await createDataKeyProvider(secrets)()
    expect(a).toHaveLength(32)
    expect(await secrets.get(CACHE_KEY_ACCOUNT)).toBe(a.toString('base64'))
    const b = await createDataKeyProvider(secrets)()
    expect(b.equals(a)).toBe(true)
  })

  it('retries after a keychain failure', async () => {
    const secrets = createMemorySecretStore()
    let fail = true
    const flaky = { ...secrets, get: async (acc: string) => (fail ? Promise.reject(new Error('locked')) : secrets.get(acc)) }
    const provider = createDataKeyProvider(flaky)
    await expect(provider()).rejects.toThrow('locked')
    fail = false
    expect(await provider()).toHaveLength(32)
  })
})

describe('audit snapshot', () => {
  it('keeps the last audit page encrypted beside the key list, removed with it', async () => {
    const { dir, store } = setup()
    const event = { id: 'e1', tenant_id: 't', action: 'api_key.created', actor_key_id: null, actor_key_name: 'payments-gateway-admin', target_id: 'k1', created_at: '2026-01-01T00:00:00Z', details: null }
    await store.saveAudit('p1', { syncedAt: 7, events: [event], pagination: { total: 1, limit: 50, offset: 0, has_more: false } })
    expect((await store.loadAudit('p1'))?.events[0]?.actor_key_name).toBe('payments-gateway-admin')
    expect(readFileSync(join(dir, 'p1.audit.snapshot')).includes('payments-gateway')).toBe(false)
    // The key list's file cannot stand in for the audit file (different associated data).
    await store.save(snap('p1'))
    writeFileSync(join(dir, 'p2.audit.snapshot'), readFileSync(join(dir, 'p1.snapshot')))
    expect(await store.loadAudit('p2')).toBeNull()
    await store.remove('p1')
    expect(await store.loadAudit('p1')).toBeNull()
    expect(await store.load('p1')).toBeNull()
  })
})

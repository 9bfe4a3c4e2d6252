import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { listAllKeys } from '../../src/main/core/meshqu/list-all'
import { createCore } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import { clientFor, keyObject, oddServer, sendPage, TENANT } from './odd-server'

// keys.listAll against MeshQu look-alikes whose offset pagination shifts under change (issue 12,
// A1 and A2). Each server keeps its keys in an array and serves `?offset&limit&status` from it.

type Key = ReturnType<typeof keyObject>
const servers: { close: () => Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** A real core with one tenant at `baseUrl`, saved without verifying; disposed after the test. */
async function coreWithTenant(baseUrl: string) {
  const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'keydesk-odd-list-')), secretStore: createMemorySecretStore(), logger: silentLogger })
  servers.push({ close: () => core.dispose() })
  const added = await core.invoke('tenants.add', {
    label: 'odd',
    tenantId: TENANT,
    baseUrl,
    environment: 'staging',
    adminKey: 'admin-key-for-test',
    skipVerify: true
  })
  if (!added.ok) throw new Error(added.error.message)
  return { core, tenant: (added.data as { id: string }).id }
}

const ids = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`)

/**
 * Serves `rows()` (after the status filter) as offset pages capped at 500. `onPage` runs after each
 * page is cut, to change the data between pages; `shape` may bend the page (short, wrong total).
 */
async function listingServer(opts: {
  rows: () => Key[]
  onPage?: (n: number) => void
  shape?: (n: number, offset: number, page: Key[], total: number) => { page: Key[]; total: number }
}) {
  let n = 0
  const s = await oddServer((_req, res, url) => {
    const status = url.searchParams.get('status') ?? 'all'
    const limit = Math.min(500, Number(url.searchParams.get('limit') ?? 100))
    const offset = Number(url.searchParams.get('offset') ?? 0)
    const all = opts.rows().filter((k) => status === 'all' || (status === 'active' ? k.revoked_at === null : k.revoked_at !== null))
    let page = all.slice(offset, offset + limit)
    let total = all.length
    if (opts.shape) ({ page, total } = opts.shape(n, offset, page, total))
    n++
    opts.onPage?.(n)
    sendPage(res, page, { total, limit, offset, has_more: offset + page.length < all.length })
  })
  servers.push(s)
  return s
}

describe('listing that holds under change (A1)', () => {
  it('keys created during paging, newest first: none is lost', async () => {
    const rows = ids(1000)
      .reverse()
      .map((id) => keyObject(id))
    const s = await listingServer({
      rows: () => rows,
      // Five keys are created (at the head: newest first) right after the first page.
      onPage: (n) => {
        if (n === 1) rows.unshift(...ids(5, 'new').map((id) => keyObject(id)))
      }
    })
    const r = await listAllKeys(clientFor(s.url), { status: 'all' })
    expect(new Set(r.keys.map((k) => k.id))).toEqual(new Set(rows.map((k) => k.id)))
    expect(r.keys).toHaveLength(1005)
    expect(r.incomplete).toBeUndefined()
  })

  it('keys revoked during paging under a status filter: every active key is kept', async () => {
    const rows = ids(1000).map((id) => keyObject(id))
    const s = await listingServer({
      rows: () => rows,
      // Five keys of the first page are revoked after it was read: the active list shifts up.
      onPage: (n) => {
        if (n === 1) for (const k of rows.slice(0, 5)) Object.assign(k, { revoked_at: '2026-02-01T00:00:00Z', is_active: false })
      }
    })
    const r = await listAllKeys(clientFor(s.url), { status: 'active' })
    const active = rows.filter((k) => k.revoked_at === null).map((k) => k.id)
    expect(r.keys.map((k) => k.id)).toEqual(active)
    expect(r.incomplete).toBeUndefined()
  })

  it('a page shorter than limit in the middle: the next page starts where it ended', async () => {
    const rows = ids(1200).map((id) => keyObject(id))
    const s = await listingServer({
      rows: () => rows,
      shape: (_n, offset, page, total) => ({ page: offset === 500 ? page.slice(0, 300) : page, total })
    })
    const r = await listAllKeys(clientFor(s.url), { status: 'all' })
    expect(r.keys.map((k) => k.id)).toEqual(rows.map((k) => k.id))
    expect(r.incomplete).toBeUndefined()
    // Look-ahead pages asked at offsets past the short page are discarded, never trusted.
    const asked = s.seen.map((q) => Number(q.query.get('offset')))
    expect(asked).toContain(800)
  })

  it('an order that is unstable for equal created_at: the list comes back marked incomplete', async () => {
    const rows = ids(1000).map((id) => keyObject(id))
    let call = 0
    // Every request sorts the ties differently (a fixed rotation per request), like a database
    // without a tie-breaker.
    const s = await listingServer({
      rows: () => {
        const r = (call++ * 337) % rows.length
        return [...rows.slice(r), ...rows.slice(0, r)]
      }
    })
    const r = await listAllKeys(clientFor(s.url), { status: 'all' })
    expect(r.incomplete).toBe(true)
    expect(r.incompleteReason).toMatch(/listed twice/)
    expect(r.incompleteReason).toMatch(/re-reads did not give a consistent list/)
    expect(r.keys.every((k) => rows.some((x) => x.id === k.id))).toBe(true)
    // Bounded: one pass and two re-reads.
    expect(s.seen.length).toBeLessThanOrEqual(3 * 3)
  })

  it('a total that changes between pages: listing goes on until has_more is false', async () => {
    const rows = ids(1000).map((id) => keyObject(id))
    // The very first answer carries a stale count (400) although 1,000 keys exist.
    const s = await listingServer({ rows: () => rows, shape: (n, _o, page, total) => ({ page, total: n === 0 ? 400 : total }) })
    const r = await listAllKeys(clientFor(s.url), { status: 'all' })
    expect(r.keys.map((k) => k.id)).toEqual(rows.map((k) => k.id))
    expect(r.total).toBe(1000)
    expect(r.incomplete).toBeUndefined()
  })
})

describe('a page that claims 200 million keys (A2)', () => {
  it('stays bounded in pages and keys whatever total says, and says the list is partial', async () => {
    const s = await oddServer((_req, res, url) => {
      const offset = Number(url.searchParams.get('offset') ?? 0)
      sendPage(res, [keyObject(`k${offset}`)], { total: 200_000_000, limit: 1, offset, has_more: true })
    })
    servers.push(s)
    const r = await listAllKeys(clientFor(s.url), { status: 'all' })
    expect(s.seen).toHaveLength(250)
    expect(r.pages).toBe(250)
    expect(r.keys).toHaveLength(250)
    expect(r.incomplete).toBe(true)
    expect(r.incompleteReason).toMatch(/200,000,000 keys; KeyDesk stopped after 250 requests/)
  })

  it('an incomplete list is not stored: the last complete list stays in the store, whole', async () => {
    // First a complete list of 300 keys; then the same server claims 200 million keys, one per page.
    let huge = false
    const complete = ids(300).map((id) => keyObject(id))
    const s = await oddServer((_req, res, url) => {
      const offset = Number(url.searchParams.get('offset') ?? 0)
      const limit = Math.min(500, Number(url.searchParams.get('limit') ?? 100))
      if (huge) sendPage(res, [keyObject(`h${offset}`)], { total: 200_000_000, limit: 1, offset, has_more: true })
      else sendPage(res, complete.slice(offset, offset + limit), { total: 300, limit, offset, has_more: offset + limit < 300 })
    })
    servers.push(s)
    const { core, tenant } = await coreWithTenant(s.url)
    expect(await core.invoke('keys.listAll', { tenant })).toMatchObject({ ok: true, data: { total: 300 } })
    const stored = await core.invoke('keys.fromStore', { tenant })
    expect(stored).toMatchObject({ ok: true, data: { keysJson: expect.any(String) } })
    const syncedAt = (stored as { data: { syncedAt: number } }).data.syncedAt
    huge = true
    expect(await core.invoke('keys.listAll', { tenant })).toMatchObject({ ok: true, data: { incomplete: true } })
    const after = await core.invoke('keys.fromStore', { tenant })
    expect(after).toMatchObject({ ok: true, data: { syncedAt } })
    const afterKeys = JSON.parse((after as { data: { keysJson: string } }).data.keysJson) as { id: string }[]
    expect(afterKeys.map((k) => k.id).sort()).toEqual(ids(300))
    const counts = await core.invoke('fleet.counts', {})
    expect(counts).toMatchObject({ ok: true, data: { tenants: [expect.objectContaining({ tenant, active: 300 })] } })
  })

  it('keys.listAll carries incomplete and its sentence through the contract', async () => {
    const s = await oddServer((_req, res, url) => {
      const offset = Number(url.searchParams.get('offset') ?? 0)
      sendPage(res, [keyObject(`k${offset}`)], { total: 200_000_000, limit: 1, offset, has_more: true })
    })
    servers.push(s)
    const { core, tenant } = await coreWithTenant(s.url)
    const all = await core.invoke('keys.listAll', { tenant })
    if (!all.ok) throw new Error(all.error.message)
    expect(all.data).toMatchObject({ incomplete: true, pages: 250, total: 200_000_000 })
    expect((all.data as { incompleteReason: string }).incompleteReason).toMatch(/partial/)
  })
})

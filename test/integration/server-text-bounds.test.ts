import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { ApiKey } from '../../src/shared/meshqu'
import type { JournalEntry } from '../../src/shared/journal'
import type { ScheduledRevoke } from '../../src/shared/schedule'
import { keyObject, oddServer, sendJson, sendPage, TENANT } from './odd-server'

// A server's texts are unbounded; KeyDesk's replies are not. What a server sends is bounded and
// cleaned as it enters, so no reply that carries it is ever withheld.

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()))
})

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}

const LONG_NAME = `svc-${'n'.repeat(5000)}`

async function setup() {
  const keys: Record<string, unknown>[] = [
    keyObject('k-plain'),
    keyObject('k-long-name', { name: LONG_NAME, created_by: 'a'.repeat(5000) }),
    keyObject('k-lone-surrogate', { name: 'svc-\ud800' }),
    keyObject(`k-${'i'.repeat(5000)}`),
    keyObject('a/b')
  ]
  const server = await oddServer((req, res, url) => {
    if (req.method === 'DELETE') {
      const id = decodeURIComponent(url.pathname.split('/').pop()!)
      const key = keys.find((k) => k['id'] === id)
      if (!key) return sendJson(res, 404, { error: { code: 'not_found' } })
      key['revoked_at'] = '2026-02-01T00:00:00Z'
      key['is_active'] = false
      return sendJson(res, 200, { key })
    }
    const offset = Number(url.searchParams.get('offset') ?? 0)
    const limit = Number(url.searchParams.get('limit') ?? 100)
    sendPage(res, keys.slice(offset, offset + limit), { total: keys.length, limit, offset, has_more: offset + limit < keys.length })
  })
  closers.push(server.close)
  const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'keydesk-bounds-')), secretStore: createMemorySecretStore(), logger: silentLogger })
  closers.push(() => core.dispose())
  const tenant = ok<{ id: string }>(
    await core.invoke('tenants.add', {
      label: 'odd',
      tenantId: TENANT,
      baseUrl: server.url,
      environment: 'staging',
      adminKey: 'admin-key-for-test',
      skipVerify: true
    })
  ).id
  return { core, tenant }
}

describe('texts a server sends, bounded on entry', () => {
  it('lists what it can: names cut and well-formed, keys whose id cannot be sent back left out and said', async () => {
    const { core, tenant } = await setup()
    const listed = ok<{ keys: ApiKey[]; incomplete?: true; incompleteReason?: string }>(await core.invoke('keys.listAll', { tenant }))
    expect(listed.keys.map((k) => k.id).sort()).toEqual(['k-lone-surrogate', 'k-long-name', 'k-plain'])
    const long = listed.keys.find((k) => k.id === 'k-long-name')!
    expect(long.name.length).toBeLessThanOrEqual(256)
    expect(long.name.endsWith('…')).toBe(true)
    expect(long.created_by!.length).toBeLessThanOrEqual(128)
    expect(listed.keys.find((k) => k.id === 'k-lone-surrogate')!.name).toBe('svc-\ufffd')
    expect(listed.incomplete).toBe(true)
    expect(listed.incompleteReason).toMatch(/2 keys KeyDesk cannot use/)
  })

  it('revokes and schedules a key with a long name, and the journal and schedule lists still answer', async () => {
    const { core, tenant } = await setup()
    const listed = ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant }))
    const long = listed.keys.find((k) => k.id === 'k-long-name')!
    // The dialog sends the name it shows back; the renderer's copy could be the uncut one.
    ok(await core.invoke('schedule.revoke', { tenant, keyId: 'k-plain', keyName: `x${'y'.repeat(900)}`, in: '24h' }))
    ok(await core.invoke('keys.revoke', { tenant, id: long.id, name: long.name }))
    const journal = ok<{ entries: JournalEntry[] }>(await core.invoke('journal.list', { limit: 10 }))
    expect(journal.entries.find((e) => e.keyId === 'k-long-name')?.keyName?.length).toBeLessThanOrEqual(256)
    const schedules = ok<{ schedules: ScheduledRevoke[] }>(await core.invoke('schedule.list', { tenant }))
    expect(schedules.schedules).toHaveLength(1)
    ok(await core.invoke('schedule.cancel', { id: schedules.schedules[0]!.id }))
  })
})

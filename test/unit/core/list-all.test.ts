import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCore } from '../../../src/main/core'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../../src/main/core/log'
import { makeKey } from '../../fixtures/keys'

const TENANT = '123e4567-e89b-42d3-a456-426614174000'
const key = (i: number) =>
  makeKey(`k${i}`, {
    tenant_id: TENANT,
    name: `svc-${i}`,
    key_preview: 'mqu_test_...abcd',
    scopes: ['audit:read', 'future:scope'],
    created_at: '2026-01-01T00:00:00Z'
  })

/** A MeshQu that caps pages at 100 whatever is asked, and knows a scope this KeyDesk does not. */
const TOTAL = 1234
const cappedFetch = (async (input: Parameters<typeof fetch>[0]) => {
  const url = new URL(String(input))
  const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 100))
  const offset = Number(url.searchParams.get('offset') ?? 0)
  const data = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, i) => key(offset + i))
  return new Response(JSON.stringify({ data, pagination: { total: TOTAL, limit, offset, has_more: offset + limit < TOTAL } }), {
    headers: { 'content-type': 'application/json' }
  })
}) as typeof fetch

describe('keys.listAll against a server that caps its pages', () => {
  it('steps by the page size actually returned, so no key is skipped, and tolerates unknown scopes', async () => {
    const core = createCore({
      dataDir: mkdtempSync(join(tmpdir(), 'keydesk-cap-')),
      secretStore: createMemorySecretStore(),
      logger: silentLogger,
      fetch: cappedFetch
    })
    const added = await core.invoke('tenants.add', {
      label: 'capped',
      tenantId: TENANT,
      baseUrl: 'https://meshqu.example',
      environment: 'staging',
      adminKey: 'admin-key-for-test',
      skipVerify: true
    })
    if (!added.ok) throw new Error(added.error.message)
    const all = await core.invoke('keys.listAll', { tenant: (added.data as { id: string }).id })
    if (!all.ok) throw new Error(all.error.message)
    const data = all.data as { keys: { id: string; scopes: string[] }[]; total: number }
    expect(data.total).toBe(TOTAL)
    expect(new Set(data.keys.map((k) => k.id)).size).toBe(TOTAL)
    expect(data.keys[0]!.scopes).toContain('future:scope')
    await core.dispose()
  })
})

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { startSandbox } from '../../../src/sandbox'
import { ApiKeySchema, AuditEventSchema } from '../../../src/shared/meshqu'
import { call, control, expectError, expectRateHeaders, PLAINTEXT_LIKE, sleep, type Answer } from './helpers'

// The MeshQu contract (API.md) against a real sandbox over real HTTP.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
type Key = ReturnType<typeof ApiKeySchema.parse>
let sb: Sandbox
let A: { id: string; key: string; adminId: string }
let B: { id: string; key: string; adminId: string }

const fakeKey = () => `mqu_test_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32)}`
const asA = (path: string, o: Parameters<typeof call>[2] = {}) => call(sb.url, path, { key: A.key, tenant: A.id, ...o })

async function adminIdOf(key: string, tenant: string): Promise<string> {
  const all = await call<{ data: Key[] }>(sb.url, '/v1/api-keys?limit=500', { key, tenant })
  const found = all.body.data.filter((k) => k.key_preview === `mqu_test_...${key.slice(-4)}` && k.is_active)
  expect(found.length).toBeGreaterThan(0)
  return found[0]!.id
}

async function createKey(
  body: Record<string, unknown>,
  who = A
): Promise<{ key: Key; plaintext: string; answer: Answer<{ key: Key; plaintext_key: string }> }> {
  const answer = await call<{ key: Key; plaintext_key: string }>(sb.url, '/v1/api-keys', {
    method: 'POST',
    key: who.key,
    tenant: who.id,
    body
  })
  expect(answer.status, JSON.stringify(answer.body)).toBe(201)
  return { key: ApiKeySchema.parse(answer.body.key), plaintext: answer.body.plaintext_key, answer }
}

beforeAll(async () => {
  sb = await startSandbox({ port: 0, tenants: 2, seedKeys: 25, quiet: true })
  const [a, b] = sb.tenants
  A = { id: a!.id, key: a!.admin_key, adminId: '' }
  B = { id: b!.id, key: b!.admin_key, adminId: '' }
  A.adminId = await adminIdOf(A.key, A.id)
  B.adminId = await adminIdOf(B.key, B.id)
})
afterAll(() => sb?.close())

describe('startSandbox', () => {
  it('answers on a loopback URL without a trailing slash and provisions named tenants', () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(sb.tenants).toHaveLength(2)
    expect(sb.tenants.map((t) => t.name)).toEqual(['acme-sandbox-1', 'acme-sandbox-2'])
    for (const t of sb.tenants) {
      expect(t.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(t.admin_key.startsWith('mqu_test_')).toBe(true)
      expect(t.admin_key.length).toBe('mqu_test_'.length + 32)
    }
  })
})

describe('health and readiness need no credentials [DOC]', () => {
  it('GET /v1/health → 200 {status: healthy, timestamp, version} with the pre-auth tier headers', async () => {
    const a = await call(sb.url, '/v1/health')
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({ status: 'healthy' })
    expect(Number.isNaN(Date.parse(a.body.timestamp))).toBe(false)
    expect(typeof a.body.version).toBe('string')
    expectRateHeaders(a, 10_000)
  })

  it('GET /v1/ready → 200', async () => {
    const a = await call(sb.url, '/v1/ready')
    expect(a.status).toBe(200)
    expectRateHeaders(a)
  })
})

describe('authentication [DOC]', () => {
  it('a missing X-MeshQu-Tenant-Id → 400 MISSING_TENANT_ID', async () => {
    expectError(await call(sb.url, '/v1/api-keys', { key: A.key }), 400, 'MISSING_TENANT_ID')
  })

  it('a missing Authorization → 401 UNAUTHORIZED with the pre-auth tier figures', async () => {
    const a = await call(sb.url, '/v1/api-keys', { tenant: A.id })
    expectError(a, 401, 'UNAUTHORIZED')
    expect(Number(a.headers.get('rate-limit-limit'))).toBe(10_000)
  })

  it('a non-Bearer Authorization → 401', async () => {
    expectError(await call(sb.url, '/v1/api-keys', { tenant: A.id, headers: { authorization: `Basic ${A.key}` } }), 401, 'UNAUTHORIZED')
  })

  it('an unknown key → 401, including a near miss of a real one', async () => {
    expectError(await call(sb.url, '/v1/api-keys', { key: fakeKey(), tenant: A.id }), 401, 'UNAUTHORIZED')
    const nearMiss = `${A.key.slice(0, -1)}${A.key.endsWith('a') ? 'b' : 'a'}`
    expectError(await call(sb.url, '/v1/api-keys', { key: nearMiss, tenant: A.id }), 401, 'UNAUTHORIZED')
  })

  it("a key used with another tenant's header → 403 FORBIDDEN", async () => {
    expectError(await call(sb.url, '/v1/api-keys', { key: A.key, tenant: B.id }), 403, 'FORBIDDEN')
  })

  it('an authenticated response carries the post-auth tier figures', async () => {
    const a = await asA('/v1/api-keys?limit=1')
    expect(a.status).toBe(200)
    expectRateHeaders(a, 1000)
  })

  it('unknown routes → 404 NOT_FOUND in the error body shape', async () => {
    expectError(await call(sb.url, '/v1/no-such-thing'), 404, 'NOT_FOUND')
    expectError(await asA('/v1/no-such-thing'), 404, 'NOT_FOUND')
    expectError(await call(sb.url, '/'), 404, 'NOT_FOUND')
  })
})

describe('creating keys [DOC]', () => {
  it('returns 201 {key, plaintext_key}: plaintext once, a preview of prefix + ... + last 4', async () => {
    const { key, plaintext, answer } = await createKey({ name: 'trade-service-prod', scopes: ['decisions:evaluate'] })
    expectRateHeaders(answer, 1000)
    expect(plaintext.startsWith('mqu_test_')).toBe(true)
    expect(plaintext.length).toBeGreaterThanOrEqual('mqu_test_'.length + 32)
    expect(key.key_preview).toBe(`mqu_test_...${plaintext.slice(-4)}`)
    expect(key).toMatchObject({
      tenant_id: A.id,
      name: 'trade-service-prod',
      scopes: ['decisions:evaluate'],
      expires_at: null,
      last_used_at: null,
      is_active: true,
      created_by: A.adminId,
      revoked_at: null,
      revoked_by: null
    })
    expect(Math.abs(Date.parse(key.created_at) - Date.now())).toBeLessThan(10_000)

    // list and get never return it
    const one = await asA(`/v1/api-keys/${key.id}`)
    expect(one.status).toBe(200)
    expect(ApiKeySchema.parse(one.body.key)).toEqual(key)
    expect(JSON.stringify(one.body)).not.toContain(plaintext)
    expect(JSON.stringify(one.body)).not.toMatch(PLAINTEXT_LIKE)
    const list = await asA('/v1/api-keys?limit=500')
    expect(JSON.stringify(list.body)).not.toContain(plaintext)
    expect(JSON.stringify(list.body)).not.toMatch(PLAINTEXT_LIKE)
    expect(list.body.data.map((k: Key) => k.id)).toContain(key.id)
  })

  it('trims the name, accepts 100 characters and a future expires_at, ignores unknown fields', async () => {
    const expires = new Date(Date.now() + 86_400_000).toISOString()
    const { key, answer } = await createKey({ name: '  padded  ', scopes: ['alerts:read', 'alerts:write'], expires_at: expires, colour: 'blue' })
    expect(key.name).toBe('padded')
    expect(Date.parse(key.expires_at!)).toBe(Date.parse(expires))
    expect(answer.body.key).not.toHaveProperty('colour')
    const long = await createKey({ name: 'x'.repeat(100), scopes: ['audit:read'], expires_at: null })
    expect(long.key.name).toHaveLength(100)
  })

  it.each([
    ['an empty name', { name: '   ', scopes: ['alerts:read'] }, ['name']],
    ['a missing name', { scopes: ['alerts:read'] }, ['name']],
    ['a 101-character name', { name: 'y'.repeat(101), scopes: ['alerts:read'] }, ['name']],
    ['a non-string name', { name: 42, scopes: ['alerts:read'] }, ['name']],
    ['no scopes', { name: 'n', scopes: [] }, ['scopes']],
    ['a missing scopes list', { name: 'n' }, ['scopes']],
    ['an unknown scope', { name: 'n', scopes: ['alerts:read', 'keys:everything'] }, ['scopes']],
    ['a repeated scope', { name: 'n', scopes: ['alerts:read', 'alerts:read'] }, ['scopes']],
    ['a past expires_at', { name: 'n', scopes: ['alerts:read'], expires_at: '2001-01-01T00:00:00Z' }, ['expires_at']],
    ['a non-ISO expires_at', { name: 'n', scopes: ['alerts:read'], expires_at: 'next tuesday' }, ['expires_at']],
    ['every field wrong', { name: '', scopes: ['nope'], expires_at: '2001-01-01T00:00:00Z' }, ['expires_at', 'name', 'scopes']]
  ])('rejects %s → 400 VALIDATION_ERROR naming the field', async (_label, body, fields) => {
    const err = expectError(await asA('/v1/api-keys', { method: 'POST', body }), 400, 'VALIDATION_ERROR')
    const details = err.details as { fields: Record<string, string> }
    expect(Object.keys(details.fields).sort()).toEqual(fields)
    for (const f of fields) expect(details.fields[f]!.length).toBeGreaterThan(0)
  })

  it('rejects malformed JSON and a non-object body → 400 VALIDATION_ERROR', async () => {
    expectError(await asA('/v1/api-keys', { method: 'POST', rawBody: '{"name": "x", ' }), 400, 'VALIDATION_ERROR')
    expectError(await asA('/v1/api-keys', { method: 'POST', body: ['alerts:read'] }), 400, 'VALIDATION_ERROR')
    expectError(await asA('/v1/api-keys', { method: 'POST' }), 400, 'VALIDATION_ERROR')
  })

  it('checks credentials before the body', async () => {
    expectError(await call(sb.url, '/v1/api-keys', { method: 'POST', tenant: A.id, rawBody: '{oops' }), 401, 'UNAUTHORIZED')
  })
})

describe('keys in use', () => {
  it('a new key authenticates, and last_used_at is set by every call made with it [ASSUMED]', async () => {
    const { key, plaintext } = await createKey({ name: 'lister', scopes: ['api-keys:admin'] })
    const before = Date.now()
    const own = await call(sb.url, '/v1/api-keys?limit=1', { key: plaintext, tenant: A.id })
    expect(own.status).toBe(200)
    const seen = await asA(`/v1/api-keys/${key.id}`)
    const used = Date.parse(seen.body.key.last_used_at)
    expect(used).toBeGreaterThanOrEqual(before - 5)
    await sleep(5)
    await call(sb.url, '/v1/api-keys?limit=1', { key: plaintext, tenant: A.id })
    const again = await asA(`/v1/api-keys/${key.id}`)
    expect(Date.parse(again.body.key.last_used_at)).toBeGreaterThan(used)
  })

  it('a key with only decisions:evaluate → 403 on /v1/api-keys and /v1/audit-events, naming the scope', async () => {
    const { plaintext } = await createKey({ name: 'evaluator', scopes: ['decisions:evaluate'] })
    const keys = expectError(await call(sb.url, '/v1/api-keys', { key: plaintext, tenant: A.id }), 403, 'FORBIDDEN')
    expect(keys.message).toContain('api-keys:admin')
    const create = await call(sb.url, '/v1/api-keys', {
      method: 'POST',
      key: plaintext,
      tenant: A.id,
      body: { name: 'x', scopes: ['api-keys:admin'] }
    })
    expectError(create, 403, 'FORBIDDEN')
    const audit = expectError(await call(sb.url, '/v1/audit-events', { key: plaintext, tenant: A.id }), 403, 'FORBIDDEN')
    expect(audit.message).toContain('audit:read')
  })

  it('no scope implies another: audit:admin alone cannot read audit events', async () => {
    const { plaintext } = await createKey({ name: 'verifier', scopes: ['audit:admin'] })
    expectError(await call(sb.url, '/v1/audit-events', { key: plaintext, tenant: A.id }), 403, 'FORBIDDEN')
    const { plaintext: reader } = await createKey({ name: 'reader', scopes: ['audit:read'] })
    expect((await call(sb.url, '/v1/audit-events?limit=1', { key: reader, tenant: A.id })).status).toBe(200)
  })

  it('revocation is immediate and idempotent; revoked_by is the acting key', async () => {
    const { key, plaintext } = await createKey({ name: 'to-revoke', scopes: ['api-keys:admin'] })
    expect((await call(sb.url, '/v1/api-keys?limit=1', { key: plaintext, tenant: A.id })).status).toBe(200)
    const first = await asA(`/v1/api-keys/${key.id}`, { method: 'DELETE' })
    expect(first.status).toBe(200)
    expectRateHeaders(first, 1000)
    const revoked = ApiKeySchema.parse(first.body.key)
    expect(revoked).toMatchObject({ id: key.id, is_active: false, revoked_by: A.adminId })
    expect(revoked.revoked_at).not.toBeNull()
    expectError(await call(sb.url, '/v1/api-keys?limit=1', { key: plaintext, tenant: A.id }), 401, 'UNAUTHORIZED')

    const second = await asA(`/v1/api-keys/${key.id}`, { method: 'DELETE' })
    expect(second.status).toBe(200)
    expect(second.body.key.revoked_at).toBe(revoked.revoked_at)
    expect(second.body.key.revoked_by).toBe(revoked.revoked_by)
    expect((await call(sb.url, '/v1/api-keys?limit=1', { key: plaintext, tenant: A.id })).status).toBe(401)

    const events = await asA(`/v1/audit-events?action=api_key.revoked&limit=500`)
    expect(events.body.data.filter((e: { target_id: string }) => e.target_id === key.id)).toHaveLength(1)
  })

  it('a key can be revoked by itself and is rejected right after', async () => {
    const { key, plaintext } = await createKey({ name: 'self-revoker', scopes: ['api-keys:admin'] })
    const own = await call(sb.url, `/v1/api-keys/${key.id}`, { method: 'DELETE', key: plaintext, tenant: A.id })
    expect(own.status).toBe(200)
    expect(own.body.key.revoked_by).toBe(key.id)
    expect((await call(sb.url, '/v1/api-keys', { key: plaintext, tenant: A.id })).status).toBe(401)
  })

  it('a key past expires_at → 401, and lists as expired', async () => {
    const expires = new Date(Date.now() + 800).toISOString()
    const { key, plaintext } = await createKey({ name: 'short-lived', scopes: ['api-keys:admin'], expires_at: expires })
    expect((await call(sb.url, '/v1/api-keys?limit=1', { key: plaintext, tenant: A.id })).status).toBe(200)
    await sleep(Math.max(0, Date.parse(expires) - Date.now()) + 30)
    expectError(await call(sb.url, '/v1/api-keys?limit=1', { key: plaintext, tenant: A.id }), 401, 'UNAUTHORIZED')
    const got = await asA(`/v1/api-keys/${key.id}`)
    expect(got.body.key.is_active).toBe(false)
    const expired = await asA('/v1/api-keys?status=expired&limit=500')
    expect(expired.body.data.map((k: Key) => k.id)).toContain(key.id)
  })

  it("another tenant's key id → 404 NOT_FOUND for get and revoke, and nothing is revoked", async () => {
    const theirs = (await call(sb.url, '/v1/api-keys?status=active&limit=5', { key: B.key, tenant: B.id })).body.data as Key[]
    const target = theirs.find((k) => k.id !== B.adminId)!
    expectError(await asA(`/v1/api-keys/${target.id}`), 404, 'NOT_FOUND')
    expectError(await asA(`/v1/api-keys/${target.id}`, { method: 'DELETE' }), 404, 'NOT_FOUND')
    const still = await call(sb.url, `/v1/api-keys/${target.id}`, { key: B.key, tenant: B.id })
    expect(still.body.key.is_active).toBe(true)
    expectError(await asA('/v1/api-keys/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND')
  })
})

describe('listing keys [ASSUMED]', () => {
  let tenant: { id: string; key: string }
  beforeAll(async () => {
    const t = await control<{ id: string; name: string; admin_key: string }>(sb.url, '/tenants', 'POST', { name: 'paging', seed_keys: 40 })
    tenant = { id: t.id, key: t.admin_key }
    expect(t.name).toBe('paging')
  })
  const list = (q: string) => call(sb.url, `/v1/api-keys${q}`, { key: tenant.key, tenant: tenant.id })

  it('defaults to limit 100, offset 0, status all', async () => {
    const a = await list('')
    expect(a.status).toBe(200)
    expect(a.body.pagination).toEqual({ total: 41, limit: 100, offset: 0, has_more: false })
    expect(a.body.data).toHaveLength(41)
    for (const k of a.body.data) ApiKeySchema.parse(k)
  })

  it('pages stably, created_at descending then id, without overlap', async () => {
    const seen: Key[] = []
    for (let offset = 0; ; offset += 7) {
      const page = await list(`?limit=7&offset=${offset}`)
      expect(page.body.pagination).toMatchObject({ total: 41, limit: 7, offset })
      seen.push(...page.body.data)
      expect(page.body.pagination.has_more).toBe(offset + page.body.data.length < 41)
      if (!page.body.pagination.has_more) break
    }
    expect(seen).toHaveLength(41)
    expect(new Set(seen.map((k) => k.id)).size).toBe(41)
    for (let i = 1; i < seen.length; i++) {
      const a = seen[i - 1]!
      const b = seen[i]!
      const order = Date.parse(b.created_at) - Date.parse(a.created_at) || (a.id < b.id ? -1 : 1)
      expect(order).toBeLessThan(0)
    }
    const beyond = await list('?offset=1000')
    expect(beyond.body).toEqual({ data: [], pagination: { total: 41, limit: 100, offset: 1000, has_more: false } })
  })

  it('filters by status: active, revoked, expired partition all', async () => {
    const all = (await list('?limit=500')).body.data as Key[]
    const now = Date.now()
    let sum = 0
    for (const status of ['active', 'revoked', 'expired'] as const) {
      const page = await list(`?status=${status}&limit=500`)
      expect(page.status).toBe(200)
      sum += page.body.pagination.total
      for (const k of page.body.data as Key[]) {
        if (status === 'active') expect(k.is_active).toBe(true)
        if (status === 'revoked') expect(k.revoked_at).not.toBeNull()
        if (status === 'expired') {
          expect(k.revoked_at).toBeNull()
          expect(Date.parse(k.expires_at!)).toBeLessThanOrEqual(now + 1000)
        }
      }
    }
    expect(sum).toBe(all.length)
    expect((await list('?status=all&limit=500')).body.pagination.total).toBe(all.length)
  })

  it('seeds realistic, varied demo keys', async () => {
    const all = (await list('?limit=500')).body.data as Key[]
    const seeded = all.filter((k) => k.name !== all.find((x) => x.key_preview === `mqu_test_...${tenant.key.slice(-4)}`)?.name)
    expect(seeded.length).toBe(40)
    for (const k of seeded) expect(k.name).toMatch(/^[a-z]+(-[a-z]+)*-\d{3}$/)
    expect(new Set(seeded.map((k) => k.scopes.join())).size).toBeGreaterThan(2)
    expect(new Set(seeded.map((k) => k.created_at.slice(0, 10))).size).toBeGreaterThan(5)
  })

  it.each(['?limit=0', '?limit=501', '?limit=abc', '?offset=-1', '?status=deleted'])('rejects %s → 400 VALIDATION_ERROR', async (q) => {
    const err = expectError(await list(q), 400, 'VALIDATION_ERROR')
    expect(Object.keys((err.details as { fields: object }).fields)).toHaveLength(1)
  })

  it('accepts limit=500', async () => {
    expect((await list('?limit=500')).body.pagination.limit).toBe(500)
  })
})

describe('audit events [ASSUMED]', () => {
  it('records api_key.created, api_key.revoked and auth.denied with the acting key', async () => {
    const from = new Date().toISOString()
    const { key, plaintext } = await createKey({ name: 'audited', scopes: ['alerts:read'] })
    await asA(`/v1/api-keys/${key.id}`, { method: 'DELETE' })
    await call(sb.url, '/v1/api-keys', { key: A.key, tenant: A.id, headers: {} }) // allowed, not audited
    const { plaintext: weak } = await createKey({ name: 'weak', scopes: ['alerts:read'] })
    await call(sb.url, '/v1/api-keys', { key: weak, tenant: A.id }) // denied: scope
    await call(sb.url, '/v1/api-keys', { key: plaintext, tenant: A.id }) // denied: revoked

    const page = await asA(`/v1/audit-events?from_date=${encodeURIComponent(from)}&limit=500`)
    expect(page.status).toBe(200)
    expectRateHeaders(page, 1000)
    const events = page.body.data.map((e: unknown) => AuditEventSchema.parse(e))
    for (const e of page.body.data) {
      expect(Object.keys(e).sort()).toEqual(
        ['action', 'actor_key_id', 'actor_key_name', 'created_at', 'details', 'id', 'target_id', 'tenant_id'].sort()
      )
    }
    const created = events.find((e: { action: string; target_id: string }) => e.action === 'api_key.created' && e.target_id === key.id)
    expect(created).toMatchObject({ tenant_id: A.id, actor_key_id: A.adminId, actor_key_name: expect.any(String) })
    const revoked = events.find((e: { action: string; target_id: string }) => e.action === 'api_key.revoked' && e.target_id === key.id)
    expect(revoked).toMatchObject({ actor_key_id: A.adminId })
    const denied = events.filter((e: { action: string }) => e.action === 'auth.denied')
    expect(denied.length).toBeGreaterThanOrEqual(2)
    for (const e of events) expect(Date.parse(e.created_at)).toBeGreaterThanOrEqual(Date.parse(from))
    for (let i = 1; i < events.length; i++) {
      expect(Date.parse(events[i].created_at)).toBeLessThanOrEqual(Date.parse(events[i - 1].created_at))
    }
    expect(JSON.stringify(page.body)).not.toMatch(PLAINTEXT_LIKE)
  })

  it('filters by action and pages', async () => {
    const only = await asA('/v1/audit-events?action=api_key.created&limit=3')
    expect(only.body.data).toHaveLength(3)
    for (const e of only.body.data) expect(e.action).toBe('api_key.created')
    expect(only.body.pagination).toMatchObject({ limit: 3, offset: 0, has_more: true })
    const next = await asA('/v1/audit-events?action=api_key.created&limit=3&offset=3')
    expect(next.body.data.map((e: { id: string }) => e.id)).not.toContain(only.body.data[0].id)
    expect(only.body.pagination.total).toBe(next.body.pagination.total)
  })

  it('keeps tenants apart and validates its query', async () => {
    const b = await call(sb.url, '/v1/audit-events?limit=500', { key: B.key, tenant: B.id })
    for (const e of b.body.data) expect(e.tenant_id).toBe(B.id)
    expectError(await asA('/v1/audit-events?from_date=yesterday-ish'), 400, 'VALIDATION_ERROR')
    expectError(await asA('/v1/audit-events?limit=0'), 400, 'VALIDATION_ERROR')
  })
})

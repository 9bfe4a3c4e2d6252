import { createServer, type Server } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'

// The core's MeshQu client against a real sandbox over real HTTP: every error code, timeouts,
// retries, malformed responses. Expectations come from API.md.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let clipboardText = ''

const ok = <T>(r: Reply<unknown>) => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r as { ok: true; data: T; meta: Extract<Reply<T>, { ok: true }>['meta'] }
}
const fail = (r: Reply<unknown>) => {
  if (r.ok) throw new Error('expected a failure')
  return r.error
}
const control = (path: string, method: string, body?: unknown) =>
  fetch(`${sandbox.url}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  }).then((r) => {
    if (!r.ok) throw new Error(`control ${path} → ${r.status}`)
  })

async function addTenant(i: number, extra: Record<string, unknown> = {}) {
  const t = sandbox.tenants[i]!
  return core.invoke('tenants.add', {
    label: `${t.name}-${Math.random().toString(36).slice(2, 6)}`,
    tenantId: t.id,
    baseUrl: sandbox.url,
    environment: 'sandbox',
    adminKey: t.admin_key,
    ...extra
  })
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 30, quiet: true })
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-core-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    timeoutMs: 1500,
    clipboard: { writeText: (t) => void (clipboardText = t), readText: () => clipboardText }
  })
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})
beforeEach(async () => {
  await control('/faults', 'DELETE')
})

describe('adding a tenant verifies the admin key with one real call', () => {
  it('accepts the right key and stores only its preview in the profile', async () => {
    const t = sandbox.tenants[0]!
    const reply = ok<{ id: string; adminKeyPreview: string }>(await addTenant(0))
    expect(reply.data.adminKeyPreview).toMatch(/^mqu_test_\.\.\..{4}$/)
    expect(JSON.stringify(reply)).not.toContain(t.admin_key)
    expect(reply.meta.rateLimit).toMatchObject({ tier: 'post-auth', limit: 1000 })
    const again = fail(await addTenant(0))
    expect(again.fields?.tenantId).toMatch(/Already added/)
    ok(await core.invoke('tenants.remove', { tenant: reply.data.id }))
  })

  it('explains a wrong key (401) on the admin key field', async () => {
    const err = fail(await addTenant(0, { adminKey: `${sandbox.tenants[0]!.admin_key.slice(0, -4)}zzzz`, label: 'wrong' }))
    expect(err.code).toBe('UNAUTHORIZED')
    expect(err.fields?.adminKey).toMatch(/401/)
    expect(err.correlationId).toBeTruthy()
  })

  it("explains another tenant's key (403)", async () => {
    const err = fail(await addTenant(0, { adminKey: sandbox.tenants[1]!.admin_key, label: 'mismatch' }))
    expect(err.code).toBe('FORBIDDEN')
    expect(err.fields?.adminKey).toMatch(/403/)
  })

  it('explains an unreachable host and refuses plain http to a non-loopback host', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const err = fail(await addTenant(0, { baseUrl: `http://127.0.0.1:${port}`, label: 'down' }))
    expect(err.code).toBe('OFFLINE')
    expect(err.fields?.baseUrl).toMatch(/Could not reach/)
    const plain = fail(await addTenant(0, { baseUrl: 'http://api.meshqu.com', label: 'plain' }))
    expect(plain.code).toBe('VALIDATION')
    expect(plain.fields?.baseUrl).toMatch(/https/)
  })
})

describe('keys through the core', () => {
  let tenant: string
  beforeAll(async () => {
    tenant = ok<{ id: string }>(await addTenant(1)).data.id
  })

  it('lists a page with pagination and rate-limit headroom equal to the headers', async () => {
    const first = ok<{ keys: unknown[]; pagination: { total: number; has_more: boolean } }>(await core.invoke('keys.list', { tenant, limit: 10 }))
    expect(first.data.keys).toHaveLength(10)
    expect(first.data.pagination).toMatchObject({ total: 30, has_more: true })
    expect(first.meta).toMatchObject({ tenantId: tenant, servedFrom: 'network' })
    const res = await fetch(`${sandbox.url}/v1/api-keys?limit=1`, {
      headers: { authorization: `Bearer ${sandbox.tenants[1]!.admin_key}`, 'x-meshqu-tenant-id': sandbox.tenants[1]!.id }
    })
    const second = ok<unknown>(await core.invoke('keys.list', { tenant, limit: 1 }))
    expect(second.meta.rateLimit?.limit).toBe(Number(res.headers.get('rate-limit-limit')))
    expect(second.meta.rateLimit?.remaining).toBe(Number(res.headers.get('rate-limit-remaining')) - 1)
    expect(second.meta.rateLimit?.resetAt).toBe(Number(res.headers.get('rate-limit-reset')) * 1000)
  })

  it('creates a key whose plaintext stays in a reveal slot, then revokes it (idempotently)', async () => {
    const created = ok<{ key: { id: string; key_preview: string; is_active: boolean }; revealId: string }>(
      await core.invoke('keys.create', { tenant, key: { name: 'ci-evaluator', scopes: ['decisions:evaluate'] } })
    )
    expect(JSON.stringify(created)).not.toMatch(/mqu_test_[A-Za-z0-9]{12}/)
    const plaintext = ok<{ plaintext: string }>(await core.invoke('secrets.reveal', { revealId: created.data.revealId })).data.plaintext
    expect(plaintext.startsWith('mqu_test_')).toBe(true)
    expect(created.data.key.key_preview).toBe(`mqu_test_...${plaintext.slice(-4)}`)

    // The new key is real: it authenticates, and its lone scope does not reach api-keys.
    const asNew = await fetch(`${sandbox.url}/v1/api-keys`, {
      headers: { authorization: `Bearer ${plaintext}`, 'x-meshqu-tenant-id': sandbox.tenants[1]!.id }
    })
    expect(asNew.status).toBe(403)

    ok(await core.invoke('secrets.copy', { revealId: created.data.revealId }))
    expect(clipboardText).toBe(plaintext)
    ok(await core.invoke('secrets.discard', { revealId: created.data.revealId }))
    expect(fail(await core.invoke('secrets.reveal', { revealId: created.data.revealId })).code).toBe('NOT_FOUND')

    const revoked = ok<{ is_active: boolean; revoked_at: string }>(await core.invoke('keys.revoke', { tenant, id: created.data.key.id }))
    expect(revoked.data.is_active).toBe(false)
    const again = ok<{ revoked_at: string }>(await core.invoke('keys.revoke', { tenant, id: created.data.key.id }))
    expect(again.data.revoked_at).toBe(revoked.data.revoked_at)
    const afterRevoke = await fetch(`${sandbox.url}/v1/api-keys`, {
      headers: { authorization: `Bearer ${plaintext}`, 'x-meshqu-tenant-id': sandbox.tenants[1]!.id }
    })
    expect(afterRevoke.status).toBe(401)

    const audit = ok<{ events: { action: string; target_id: string | null }[] }>(await core.invoke('audit.list', { tenant, limit: 100 }))
    const actions = audit.data.events.filter((e) => e.target_id === created.data.key.id).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['api_key.created', 'api_key.revoked']))
  })

  it("answers NOT_FOUND for another tenant's key id", async () => {
    const other = ok<{ id: string }>(await addTenant(0, { label: 'zero-b' })).data.id
    const theirs = ok<{ keys: { id: string }[] }>(await core.invoke('keys.list', { tenant: other, limit: 1 })).data.keys[0]!
    const err = fail(await core.invoke('keys.get', { tenant, id: theirs.id }))
    expect(err.code).toBe('NOT_FOUND')
    expect(err.correlationId).toBeTruthy()
    expect(err.message).toContain(err.correlationId!)
  })

  it("maps the server's field errors on create", async () => {
    const err = fail(await core.invoke('keys.create', { tenant, key: { name: 'late', scopes: ['alerts:read'], expires_at: '2001-01-01T00:00:00Z' } }))
    expect(err.code).toBe('VALIDATION')
    expect(err.status).toBe(400)
    expect(Object.keys(err.fields ?? {})).toContain('expires_at')
  })

  it('reports RATE_LIMITED with Retry-After when the window is spent', async () => {
    await control('/faults', 'PUT', { rate_limit_storm: { count: 1, retry_after_seconds: 7 } })
    const err = fail(await core.invoke('keys.list', { tenant, limit: 1 }))
    expect(err.code).toBe('RATE_LIMITED')
    expect(err.retryAfterMs).toBe(7000)
    // 7 s is longer than a click should wait: the next interactive call is answered at once,
    // with the time left, and is not sent.
    const held = fail(await core.invoke('keys.list', { tenant, limit: 1 }))
    expect(held).toMatchObject({ code: 'RATE_LIMITED', outcome: 'not-sent', reachedServer: false })
    expect(held.retryAfterMs).toBeGreaterThan(0)
    expect(held.retryAfterMs).toBeLessThanOrEqual(7000)
    // The rest of this suite goes on under a fresh profile, which the hold does not cover.
    ok(await core.invoke('tenants.remove', { tenant }))
    tenant = ok<{ id: string }>(await addTenant(1)).data.id
  })

  it('retries a read through a dropped connection and a 503, but not a write', async () => {
    await control('/faults', 'PUT', { drop_connections: 1 })
    ok(await core.invoke('keys.list', { tenant, limit: 1 }))
    await control('/faults', 'PUT', { drop_connections: 1 })
    const err = fail(await core.invoke('keys.create', { tenant, key: { name: 'dropped', scopes: ['alerts:read'] } }))
    expect(err.code).toBe('OFFLINE')
    await control('/faults', 'PUT', { error_rate: 1, error_status: 503 })
    const upstream = fail(await core.invoke('keys.list', { tenant, limit: 1 }))
    expect(upstream.code).toBe('UPSTREAM')
    expect(upstream.status).toBe(503)
  })

  it('times out a slow answer', async () => {
    await control('/faults', 'PUT', { latency_ms: 2500 })
    const err = fail(await core.invoke('keys.create', { tenant, key: { name: 'slow', scopes: ['alerts:read'] } }))
    expect(err.code).toBe('TIMEOUT')
  })

  it('answers health without credentials', async () => {
    const health = ok<{ status: string }>(await core.invoke('tenants.health', { tenant }))
    expect(health.data.status).toBe('healthy')
  })
})

describe('responses KeyDesk cannot trust', () => {
  let server: Server
  let url: string
  let mode: 'malformed' | 'html' | 'shape' = 'malformed'
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader('x-correlation-id', 'corr-test')
      if (mode === 'html') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>')
      } else if (mode === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": [')
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": "nope"}')
      }
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise((r) => server.close(r)))

  it.each(['malformed', 'html', 'shape'] as const)('%s body → UPSTREAM with the correlation id, nothing saved', async (m) => {
    mode = m
    const err = fail(
      await core.invoke('tenants.add', {
        label: `bogus-${m}`,
        tenantId: sandbox.tenants[0]!.id,
        baseUrl: url,
        environment: 'development',
        adminKey: 'not-a-real-admin-key'
      })
    )
    expect(err.code).toBe('UPSTREAM')
    expect(err.correlationId).toBe('corr-test')
    const list = ok<{ tenants: { label: string }[] }>(await core.invoke('tenants.list', {}))
    expect(list.data.tenants.map((t) => t.label)).not.toContain(`bogus-${m}`)
  })
})

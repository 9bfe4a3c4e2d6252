import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import { createScheduler } from '../../src/main/core/ratelimit/scheduler'
import { createRateLimitTracker } from '../../src/main/core/ratelimit/tracker'
import type { Reply } from '../../src/shared/envelope'
import type { AppError } from '../../src/shared/errors'
import type { BulkJob } from '../../src/shared/contract'
import { ADMIN_KEY, clientFor, failure, keyObject, oddServer, sendJson, sendPage, TENANT } from './odd-server'

// The MeshQu client against servers that answer differently from ours (issue 12, part A): one
// small real server per case, misbehaving in exactly that one way.

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()))
})
async function serve(...args: Parameters<typeof oddServer>) {
  const s = await oddServer(...args)
  cleanups.push(s.close)
  return s
}

async function coreWithTenant(baseUrl: string): Promise<{ core: Core; tenant: string }> {
  const core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-odd-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    timeoutMs: 5_000
  })
  cleanups.push(() => core.dispose())
  const added = await core.invoke('tenants.add', {
    label: 'odd',
    tenantId: TENANT,
    baseUrl,
    environment: 'staging',
    adminKey: ADMIN_KEY,
    skipVerify: true
  })
  if (!added.ok) throw new Error(added.error.message)
  return { core, tenant: (added.data as { id: string }).id }
}
const fail = (r: Reply<unknown>): AppError => {
  if (r.ok) throw new Error('expected a failure')
  return r.error
}
const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as AddressInfo).port
  await new Promise((r) => s.close(r))
  return port
}

describe('response bodies are read with a byte cap (A2)', () => {
  it('a 9 MiB answer without content-length is cut off as UPSTREAM, not buffered', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      // A valid key envelope whose name alone is 9 MiB, sent in chunks (no content-length).
      res.write('{"key":' + JSON.stringify(keyObject('big')).slice(0, -1) + ',"name":"')
      const chunk = 'x'.repeat(1024 * 1024)
      for (let i = 0; i < 9; i++) res.write(chunk)
      res.end('"}}')
    })
    const err = await failure(clientFor(s.url).getKey('big'))
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toMatch(/larger than 8 MiB/)
    expect(err.extra).toMatchObject({ status: 200, reachedServer: true })
  })
})

describe('missing nullable fields (A3)', () => {
  it('a key object without expires_at, last_used_at, created_by, revoked_at, revoked_by reads them as null', async () => {
    const bare = keyObject('k1') as Record<string, unknown>
    for (const f of ['expires_at', 'last_used_at', 'created_by', 'revoked_at', 'revoked_by']) delete bare[f]
    const s = await serve((_req, res) => sendPage(res, [bare], { total: 1, limit: 100, offset: 0, has_more: false }))
    const res = await clientFor(s.url).listKeys()
    expect(res.data.data[0]).toMatchObject({ expires_at: null, last_used_at: null, created_by: null, revoked_at: null, revoked_by: null })
    // Through the core too: adding the tenant verifies with this very list.
    const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'keydesk-odd-')), secretStore: createMemorySecretStore(), logger: silentLogger })
    cleanups.push(() => core.dispose())
    ok(await core.invoke('tenants.add', { label: 'bare', tenantId: TENANT, baseUrl: s.url, environment: 'staging', adminKey: ADMIN_KEY }))
  })
})

describe('a long Retry-After (A4)', () => {
  it('answers the next interactive call RATE_LIMITED at once with the time left; background work waits it out', async () => {
    let limited = true
    const s = await serve((_req, res) => {
      if (limited) {
        limited = false
        sendJson(res, 429, { error: { code: 'TOO_MANY_REQUESTS', message: 'slow down' } }, { 'retry-after': '120' })
      } else sendPage(res, [], { total: 0, limit: 100, offset: 0, has_more: false })
    })
    // A virtual clock: sleeping advances it, so nothing here waits for real time.
    let t = 1_700_000_000_000
    const naps: number[] = []
    const clock = { now: () => t, sleep: async (ms: number) => void (naps.push(ms), (t += ms)) }
    const scheduler = createScheduler({ tracker: createRateLimitTracker(), ...clock })
    const c = clientFor(s.url, {
      now: clock.now,
      pacing: { acquire: (kind, max) => scheduler.acquire('p1', kind, max), rateLimited: (ms) => scheduler.rateLimited('p1', ms) }
    })
    expect((await failure(c.listKeys())).extra.retryAfterMs).toBe(120_000)

    const held = await failure(c.listKeys())
    expect(held.code).toBe('RATE_LIMITED')
    expect(held.extra).toMatchObject({ retryAfterMs: 120_000, outcome: 'not-sent', reachedServer: false })
    expect(s.seen).toHaveLength(1)
    expect(naps).toEqual([])

    const bulk = await c.listKeys({}, { kind: 'background' })
    expect(bulk.data.data).toEqual([])
    expect(naps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(120_000)
    expect(s.seen).toHaveLength(2)
  })
})

describe('retry_after spellings (A5)', () => {
  it.each([
    ['retry_after at the top level', { retry_after: 7 }],
    ['retryAfter at the top level', { retryAfter: 7 }],
    ['retry_after in error.details', { details: { retry_after: 7 } }],
    ['retryAfter in error.details', { details: { retryAfter: 7 } }],
    ['a numeric string', { retryAfter: '7' }]
  ])('a 503 with %s is read', async (_name, hint) => {
    const { details, ...top } = hint as { details?: unknown }
    const s = await serve((_req, res) =>
      sendJson(res, 503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'db down', ...(details ? { details } : {}) }, ...top })
    )
    const err = await failure(clientFor(s.url).revokeKey('k1'))
    expect(err.code).toBe('UPSTREAM')
    expect(err.extra.retryAfterMs).toBe(7000)
  })
})

describe('creates whose outcome is unknown (A6)', () => {
  /** Applies every create, then answers it in the way `answer` says; lists what it holds. */
  async function creatingServer(answer: 'unreadable-201' | '408' | '502' | '504' | 'drop') {
    const keys: ReturnType<typeof keyObject>[] = []
    return serve((req, res, url, body) => {
      if (req.method === 'POST') {
        const { name } = JSON.parse(body) as { name: string }
        const key = keyObject(`new${keys.length}`, { name, created_at: new Date().toISOString() })
        keys.push(key)
        if (answer === 'unreadable-201') res.writeHead(201, { 'content-type': 'application/json' }).end('{"key": {"id": "new')
        else if (answer === 'drop') res.socket?.destroy()
        else sendJson(res, Number(answer), { error: { code: 'BAD_GATEWAY', message: 'upstream went away' } })
        return
      }
      const offset = Number(url.searchParams.get('offset') ?? 0)
      sendPage(res, keys.slice(offset), { total: keys.length, limit: 500, offset, has_more: false })
    })
  }

  it.each(['unreadable-201', '408', '502', '504', 'drop'] as const)(
    '%s: says the key may have been created, records it, settles it at the next list',
    async (answer) => {
      const s = await creatingServer(answer)
      const { core, tenant } = await coreWithTenant(s.url)
      const err = fail(await core.invoke('keys.create', { tenant, key: { name: 'billing-prod', scopes: ['audit:read'] } }))
      expect(err.outcome).toBe('unknown')
      expect(err.message).toMatch(/"billing-prod" may have been created/)
      expect(err.message).not.toMatch(/did not use it|safe to (try|retry)/)
      const listed = ok<{ settledWrites?: string[] }>(await core.invoke('keys.listAll', { tenant }))
      expect(listed.settledWrites).toEqual([expect.stringMatching(/^"billing-prod" was created/)])
    }
  )

  it('a refused connection is not recorded: nothing was sent', async () => {
    const port = await freePort()
    const { core, tenant } = await coreWithTenant(`http://127.0.0.1:${port}`)
    const err = fail(await core.invoke('keys.create', { tenant, key: { name: 'billing-prod', scopes: ['audit:read'] } }))
    expect(err).toMatchObject({ code: 'OFFLINE', outcome: 'not-sent', reachedServer: false })
    expect(err.message).not.toMatch(/may have been created/)
    // The same address comes up: the next list has nothing to settle.
    await serve((_req, res) => sendPage(res, [], { total: 0, limit: 500, offset: 0, has_more: false }), port)
    expect(ok<{ settledWrites?: string[] }>(await core.invoke('keys.listAll', { tenant })).settledWrites).toBeUndefined()
  })
})

describe('a body that trickles (A7)', () => {
  const trickle = () =>
    serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"key":')
      const t = setInterval(() => res.write(' '), 20)
      res.on('close', () => clearInterval(t))
    })

  it('the per-request timeout bounds the body read', async () => {
    const s = await trickle()
    const err = await failure(clientFor(s.url, { timeoutMs: 300 }).getKey('k1'))
    expect(err.code).toBe('TIMEOUT')
    expect(err.extra).toMatchObject({ outcome: 'unknown', reachedServer: true })
  })

  it('even when the fetch in use ignores its abort signal', async () => {
    const s = await trickle()
    const deaf: typeof fetch = (input, init) => fetch(input, { ...init, signal: undefined })
    const err = await failure(clientFor(s.url, { timeoutMs: 300, fetch: deaf }).getKey('k1'))
    expect(err.code).toBe('TIMEOUT')
  }, 10_000)
})

describe('revokes answered 204 or 404 (A8)', () => {
  /** `a` is revoked with 204 No Content; `b` was revoked before and answers 404 to DELETE; `c` never existed. */
  async function revokingServer(opts: { failReadBack?: boolean } = {}) {
    const keys = new Map([
      ['a', keyObject('a')],
      ['b', keyObject('b', { is_active: false, revoked_at: '2026-01-02T00:00:00Z' })]
    ])
    return serve((req, res, url) => {
      const id = url.pathname.split('/').pop()!
      const key = keys.get(id)
      if (req.method === 'DELETE') {
        if (!key || key.revoked_at !== null) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no such key' } })
        Object.assign(key, { is_active: false, revoked_at: '2026-03-01T00:00:00Z' })
        return void res.writeHead(204).end()
      }
      if (opts.failReadBack) return sendJson(res, 500, { error: { code: 'INTERNAL_ERROR', message: 'oops' } })
      if (!key) return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no such key' } })
      sendJson(res, 200, { key })
    })
  }

  it('204 means revoked: the key is read back; 404 for an already revoked key is success; an unknown id stays NOT_FOUND', async () => {
    const s = await revokingServer()
    const c = clientFor(s.url)
    expect((await c.revokeKey('a')).data.key).toMatchObject({ id: 'a', revoked_at: '2026-03-01T00:00:00Z' })
    expect((await c.revokeKey('b')).data.key).toMatchObject({ id: 'b', revoked_at: '2026-01-02T00:00:00Z' })
    const missing = await failure(c.revokeKey('c'))
    expect(missing).toMatchObject({ code: 'NOT_FOUND' })
    expect(missing.extra.status).toBe(404)
  })

  it('204 whose read-back fails still reports the revocation (key: null)', async () => {
    const s = await revokingServer({ failReadBack: true })
    expect((await clientFor(s.url).revokeKey('a')).data.key).toBeNull()
  })

  it('bulk revoke counts 204 and 404-already-revoked as revoked, and an unknown id as failed', async () => {
    const s = await revokingServer()
    const { core, tenant } = await coreWithTenant(s.url)
    const started = ok<BulkJob>(await core.invoke('bulk.revoke', { tenant, ids: ['a', 'b', 'c'] }))
    let job = started
    while (!job.finished) {
      // Poll on a timer: a microtask-only loop would starve the job's own HTTP requests.
      await new Promise((r) => setTimeout(r, 20))
      job = ok<BulkJob>(await core.invoke('bulk.status', { jobId: started.jobId }))
    }
    expect(job).toMatchObject({ revoked: 2, failed: 1 })
    expect(job.results.find((r) => r.id === 'c')).toMatchObject({ state: 'failed', code: 'NOT_FOUND' })
  })

  it('keys.revoke answers a 204 with the revoked key', async () => {
    const s = await revokingServer()
    const { core, tenant } = await coreWithTenant(s.url)
    expect(ok<{ id: string; revoked_at: string }>(await core.invoke('keys.revoke', { tenant, id: 'a', name: 'svc-a' }))).toMatchObject({
      id: 'a',
      revoked_at: '2026-03-01T00:00:00Z'
    })
  })
})

describe('a redirect from the base URL (A9)', () => {
  it('says where it redirects, is not retried, and never sends the admin key to the other origin', async () => {
    const elsewhere = await serve((_req, res) => sendPage(res, [], { total: 0, limit: 100, offset: 0, has_more: false }))
    const s = await serve((_req, res) => void res.writeHead(301, { location: `${elsewhere.url}/v1/api-keys?token=secret` }).end())
    const err = await failure(clientFor(s.url, { retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 1 } }).listKeys())
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toContain(`redirects (301) to ${elsewhere.url}/v1/api-keys`)
    expect(err.message).not.toContain('token=secret')
    expect(err.extra).toMatchObject({ status: 301, outcome: 'rejected', reachedServer: true })
    expect(s.seen).toHaveLength(1)
    expect(elsewhere.seen).toHaveLength(0)
  })
})

describe('structured outcome on every client error (issue 13)', () => {
  it('refused → not-sent; dropped after sending → unknown; an HTTP refusal → rejected; a gateway error on a write → unknown', async () => {
    const port = await freePort()
    expect((await failure(clientFor(`http://127.0.0.1:${port}`).createKey({ name: 'n', scopes: ['audit:read'] }))).extra).toMatchObject({
      outcome: 'not-sent',
      reachedServer: false
    })

    const drop = await serve((req) => void req.socket.destroy())
    expect((await failure(clientFor(drop.url).createKey({ name: 'n', scopes: ['audit:read'] }))).extra).toMatchObject({
      outcome: 'unknown',
      reachedServer: false
    })

    const refuse = await serve((_req, res) => sendJson(res, 403, { error: { code: 'FORBIDDEN', message: 'no' } }))
    expect((await failure(clientFor(refuse.url).createKey({ name: 'n', scopes: ['audit:read'] }))).extra).toMatchObject({
      outcome: 'rejected',
      reachedServer: true,
      status: 403
    })

    const gateway = await serve((_req, res) => sendJson(res, 502, { error: { code: 'BAD_GATEWAY', message: 'x' } }))
    const e = await failure(clientFor(gateway.url).createKey({ name: 'n', scopes: ['audit:read'] }))
    expect(e.extra).toMatchObject({ outcome: 'unknown', reachedServer: true, status: 502 })
    expect(e.toAppError()).toMatchObject({ outcome: 'unknown', reachedServer: true })
  })
})

import { describe, expect, it } from 'vitest'
import { createMeshquClient, checkBaseUrl } from '../../../src/main/core/meshqu/client'
import { CoreError } from '../../../src/main/core/errors'

const KEY = 'mqu_test_' + 'Zz9'.repeat(10)
const TENANT = '123e4567-e89b-42d3-a456-426614174000'
const keyObj = {
  id: 'k1',
  tenant_id: TENANT,
  name: 'svc',
  key_preview: 'mqu_test_...abcd',
  scopes: ['decisions:evaluate'],
  expires_at: null,
  last_used_at: null,
  is_active: true,
  created_at: '2025-01-15T10:00:00Z',
  created_by: null,
  revoked_at: null,
  revoked_by: null
}

type Step = Response | Error | ((init: RequestInit) => Promise<Response>)
function scriptedFetch(steps: Step[]) {
  const calls: { url: string; init: RequestInit }[] = []
  const f = (async (url: URL | string, init: RequestInit = {}) => {
    calls.push({ url: String(url), init })
    const step = steps.shift()
    if (!step) throw new Error('no more scripted responses')
    if (step instanceof Error) throw step
    if (typeof step === 'function') return step(init)
    return step
  }) as typeof fetch
  return { f, calls }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'x-correlation-id': 'corr-1', ...headers } })

function client(steps: Step[], extra: Partial<Parameters<typeof createMeshquClient>[0]> = {}) {
  const { f, calls } = scriptedFetch(steps)
  const sleeps: number[] = []
  const c = createMeshquClient({
    baseUrl: 'https://api.example.test',
    tenantId: TENANT,
    tenantLabel: 'acme-prod',
    adminKey: KEY,
    fetch: f,
    now: () => 1_700_000_000_000,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
    ...extra
  })
  return { c, calls, sleeps }
}

async function failure(p: Promise<unknown>): Promise<CoreError> {
  try {
    await p
  } catch (e) {
    if (e instanceof CoreError) return e
    throw e
  }
  throw new Error('expected a failure')
}

describe('base URL policy', () => {
  it('accepts https anywhere and http only on loopback', () => {
    expect(checkBaseUrl('https://api.meshqu.com').host).toBe('api.meshqu.com')
    expect(checkBaseUrl('http://127.0.0.1:4010').port).toBe('4010')
    expect(checkBaseUrl('http://localhost:1').hostname).toBe('127.0.0.1') // never resolved: see base-url.test.ts
    expect(() => checkBaseUrl('http://api.meshqu.com')).toThrow(/refuses plain http/)
    expect(() => checkBaseUrl('ftp://x')).toThrow(CoreError)
    expect(() => checkBaseUrl('not a url')).toThrow(/not a URL/)
  })
})

describe('meshqu client', () => {
  it('sends both auth headers and reads rate-limit headers', async () => {
    const seen: unknown[] = []
    const { c, calls } = client(
      [json(200, { key: keyObj, extra_field: 1 }, { 'rate-limit-limit': '1000', 'rate-limit-remaining': '999', 'rate-limit-reset': '1700000060' })],
      {
        onRateLimit: (s) => seen.push(s)
      }
    )
    const res = await c.getKey('k1')
    expect(res.data.key.name).toBe('svc')
    expect(res.data).not.toHaveProperty('extra_field')
    expect(res.correlationId).toBe('corr-1')
    const headers = calls[0]!.init.headers as Record<string, string>
    expect(headers.authorization).toBe(`Bearer ${KEY}`)
    expect(headers['x-meshqu-tenant-id']).toBe(TENANT)
    expect(calls[0]!.url).toBe('https://api.example.test/v1/api-keys/k1')
    expect(seen).toEqual([{ tier: 'post-auth', limit: 1000, remaining: 999, resetAt: 1_700_000_060_000, observedAt: 1_700_000_000_000 }])
  })

  it('health goes without credentials', async () => {
    const { c, calls } = client([json(200, { status: 'healthy' })])
    await c.health()
    expect(calls[0]!.init.headers).not.toHaveProperty('authorization')
    expect(calls[0]!.init.headers).not.toHaveProperty('x-meshqu-tenant-id')
  })

  it.each([
    [400, 'VALIDATION_ERROR', 'VALIDATION'],
    [401, 'UNAUTHORIZED', 'UNAUTHORIZED'],
    [403, 'FORBIDDEN', 'FORBIDDEN'],
    [404, 'NOT_FOUND', 'NOT_FOUND'],
    [429, 'TOO_MANY_REQUESTS', 'RATE_LIMITED'],
    [500, 'INTERNAL_ERROR', 'UPSTREAM']
  ] as const)('maps %i %s to %s keeping the correlation id', async (status, meshCode, ours) => {
    const { c } = client([
      json(status, { error: { code: meshCode, message: 'm', details: {} }, correlation_id: 'corr-body' }, { 'retry-after': '3' })
    ])
    const err = await failure(c.createKey({ name: 'x', scopes: ['alerts:read'] }))
    expect(err.code).toBe(ours)
    expect(err.extra.status).toBe(status)
    expect(err.extra.correlationId).toBe('corr-1')
    expect(err.message).toContain('acme-prod')
    expect(err.message).toContain('corr-1')
    expect(err.message).not.toContain(KEY)
  })

  it('keeps field errors from a 400 VALIDATION_ERROR', async () => {
    const { c } = client([
      json(400, { error: { code: 'VALIDATION_ERROR', message: 'bad', details: { fields: { name: 'Name is required' } } }, correlation_id: 'c' })
    ])
    const err = await failure(c.createKey({ name: 'x', scopes: ['alerts:read'] }))
    expect(err.extra.fields).toEqual({ name: 'Name is required' })
  })

  it('429 carries Retry-After in ms, seconds or HTTP date, and is never retried by the client', async () => {
    const date = new Date(1_700_000_000_000 + 9_000).toUTCString()
    const { c, calls } = client([
      json(429, { error: { code: 'TOO_MANY_REQUESTS', message: 'slow', details: { retryAfter: 9 } } }, { 'retry-after': date })
    ])
    const err = await failure(c.listKeys())
    expect(err.code).toBe('RATE_LIMITED')
    expect(err.extra.retryAfterMs).toBe(9000)
    expect(calls).toHaveLength(1)
  })

  it('retries idempotent reads on 503 and network errors with capped, jittered backoff', async () => {
    const page = { data: [keyObj], pagination: { total: 1, limit: 100, offset: 0, has_more: false } }
    const { c, calls, sleeps } = client([
      json(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'db' }, retry_after: 1 }),
      new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }),
      json(200, page)
    ])
    const res = await c.listKeys()
    expect(res.data.data).toHaveLength(1)
    expect(calls).toHaveLength(3)
    expect(sleeps).toEqual([1000, 250]) // Retry-After wins over the jittered 125 ms; then 0.5 × 500
  })

  it('gives up after the retry cap with the last error', async () => {
    const fail = () => json(408, { error: { code: 'REQUEST_TIMEOUT', message: 't' } })
    const { c, calls, sleeps } = client([fail(), fail(), fail(), fail(), fail()])
    const err = await failure(c.listKeys())
    expect(err.code).toBe('TIMEOUT')
    expect(calls).toHaveLength(4)
    expect(sleeps).toHaveLength(3)
  })

  it('does not wait out a Retry-After longer than the cap', async () => {
    const { c, calls } = client([json(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'x' } }, { 'retry-after': '600' })])
    const err = await failure(c.listKeys())
    expect(err.extra.retryAfterMs).toBe(600_000)
    expect(calls).toHaveLength(1)
  })

  it('never retries writes', async () => {
    const { c, calls } = client([json(503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'x' } }), json(201, {})])
    await failure(c.revokeKey('k1'))
    expect(calls).toHaveLength(1)
    const w = client([new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })])
    const err = await failure(w.c.createKey({ name: 'a', scopes: ['audit:read'] }))
    expect(err.code).toBe('OFFLINE')
    expect(err.message).toContain('ECONNREFUSED')
    expect(w.calls).toHaveLength(1)
  })

  it('times out a hung request', async () => {
    const hang = (init: RequestInit) =>
      new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
    const { c } = client([hang], { timeoutMs: 20, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } })
    const err = await failure(c.listKeys())
    expect(err.code).toBe('TIMEOUT')
  })

  it('a cancel stops a hung request at once with CANCELLED: the fetch is aborted and no retry follows', async () => {
    let fetchSignal: AbortSignal | undefined
    const hang = (init: RequestInit) =>
      new Promise<Response>((_, reject) => {
        fetchSignal = init.signal ?? undefined
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
      })
    const { c, calls } = client([hang, hang], { timeoutMs: 60_000 })
    const cancel = new AbortController()
    const pending = failure(c.listKeys({ limit: 1 }, { signal: cancel.signal }))
    await new Promise((r) => setTimeout(r, 5))
    cancel.abort()
    const err = await pending
    expect(err).toMatchObject({ code: 'CANCELLED', extra: { outcome: 'not-sent', reachedServer: false } })
    expect(fetchSignal?.aborted).toBe(true)
    expect(calls).toHaveLength(1)
  })

  it('a cancel while the body trickles in ends the read with CANCELLED', async () => {
    const endless = () =>
      Promise.resolve(
        new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"data": [')) }), {
          status: 200,
          headers: { 'content-type': 'application/json' }
        })
      )
    const { c } = client([endless], { timeoutMs: 60_000 })
    const cancel = new AbortController()
    const pending = failure(c.listKeys({}, { signal: cancel.signal }))
    await new Promise((r) => setTimeout(r, 5))
    cancel.abort()
    expect(await pending).toMatchObject({ code: 'CANCELLED', extra: { reachedServer: true } })
  })

  it('sends nothing when cancelled before it starts', async () => {
    const { c, calls } = client([json(200, { data: [], pagination: { total: 0, limit: 1, offset: 0 } })])
    const err = await failure(c.listKeys({}, { signal: AbortSignal.abort() }))
    expect(err.code).toBe('CANCELLED')
    expect(calls).toHaveLength(0)
  })

  it('reports TLS failures distinctly', async () => {
    const { c } = client([new TypeError('fetch failed', { cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } })])
    const err = await failure(c.createKey({ name: 'a', scopes: ['audit:read'] }))
    expect(err.code).toBe('UPSTREAM')
    expect(err.message).toMatch(/TLS certificate/)
  })

  it('rejects malformed JSON, wrong content types and unexpected shapes as UPSTREAM', async () => {
    const bad = [
      new Response('{"key": ', { status: 200, headers: { 'content-type': 'application/json' } }),
      new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } }),
      json(200, { key: { id: 1 } })
    ]
    for (const r of bad) {
      const { c } = client([r])
      const err = await failure(c.revokeKey('k1'))
      expect(err.code).toBe('UPSTREAM')
    }
  })
})

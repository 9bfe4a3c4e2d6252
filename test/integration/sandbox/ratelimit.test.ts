import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src/sandbox'
import { call, control, expectError, expectRateHeaders, sleep, type Answer } from './helpers'

// Rate limits [DOC]/[ASSUMED] with short windows: 5 authenticated requests per 2 s window.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sb: Sandbox
let T: { id: string; key: string }
const LIMIT = 5
const WINDOW = 2

beforeAll(async () => {
  sb = await startSandbox({ port: 0, tenants: 1, seedKeys: 3, quiet: true })
  T = { id: sb.tenants[0]!.id, key: sb.tenants[0]!.admin_key }
})
afterAll(() => sb?.close())
beforeEach(async () => {
  await control(sb.url, '/limits', 'PUT', { limit: LIMIT, pre_auth_limit: 1000, window_seconds: WINDOW })
})

/** Start from a window with at least ~1.2 s left, so a burst never straddles a reset. */
async function freshWindow(): Promise<void> {
  const a = await call(sb.url, '/__sandbox/state')
  const reset = Number(a.headers.get('rate-limit-reset'))
  const left = reset * 1000 - Date.now()
  if (left < 1200) await sleep(left + 20)
  await control(sb.url, '/limits', 'PUT', {}) // starts every window afresh
}

const list = (key = T.key) => call(sb.url, '/v1/api-keys?limit=1', { key, tenant: T.id })

async function exhaust(send: () => Promise<Answer>, max: number): Promise<{ ok: Answer[]; limited: Answer }> {
  const ok: Answer[] = []
  for (let i = 0; i < max; i++) {
    const a = await send()
    if (a.status === 429) return { ok, limited: a }
    ok.push(a)
  }
  throw new Error(`no 429 after ${max} requests`)
}

describe('post-authentication tier (tenant + key)', () => {
  it('counts down rate-limit-remaining, then answers 429 with Retry-After and details.retryAfter', async () => {
    await freshWindow()
    const { ok, limited } = await exhaust(() => list(), LIMIT + 1)
    expect(ok).toHaveLength(LIMIT)
    ok.forEach((a, i) => {
      expect(a.status).toBe(200)
      const h = expectRateHeaders(a, LIMIT)
      expect(h.remaining).toBe(LIMIT - 1 - i)
    })
    const err = expectError(limited, 429, 'TOO_MANY_REQUESTS')
    const h = expectRateHeaders(limited, LIMIT)
    expect(h.remaining).toBe(0)
    const retryAfter = limited.headers.get('retry-after')
    expect(retryAfter).toMatch(/^\d+$/)
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1)
    expect(Number(retryAfter)).toBeLessThanOrEqual(WINDOW)
    expect(err.details).toEqual({ retryAfter: Number(retryAfter) })
    // rate-limit-reset is the epoch second the window ends
    expect(h.reset * 1000 - Date.now()).toBeLessThanOrEqual(WINDOW * 1000 + 50)
    expect(h.reset).toBe(Number(ok[0]!.headers.get('rate-limit-reset')))
  })

  it('limits each key separately, and a new window lets the key through again', async () => {
    await freshWindow()
    const other = await call(sb.url, '/v1/api-keys', {
      method: 'POST',
      key: T.key,
      tenant: T.id,
      body: { name: 'second-admin', scopes: ['api-keys:admin'] }
    })
    const second: string = other.body.plaintext_key
    const { limited } = await exhaust(() => list(), LIMIT + 1)
    expect(limited.status).toBe(429)
    const fine = await list(second)
    expect(fine.status).toBe(200)
    expect(expectRateHeaders(fine, LIMIT).remaining).toBe(LIMIT - 1)

    const reset = Number(limited.headers.get('rate-limit-reset'))
    await sleep(reset * 1000 - Date.now() + 30)
    const after = await list()
    expect(after.status).toBe(200)
    expect(Number(after.headers.get('rate-limit-reset'))).toBeGreaterThan(reset - 1)
  })

  it('a 401 does not spend the post-auth tier and carries the pre-auth figures', async () => {
    await freshWindow()
    const denied = await call(sb.url, '/v1/api-keys', { tenant: T.id })
    expectError(denied, 401, 'UNAUTHORIZED')
    expect(Number(denied.headers.get('rate-limit-limit'))).toBe(1000)
    const a = await list()
    expect(expectRateHeaders(a, LIMIT).remaining).toBe(LIMIT - 1)
  })
})

describe('pre-authentication tier (client IP)', () => {
  it('limits unauthenticated requests and reports the pre-auth figures', async () => {
    await control(sb.url, '/limits', 'PUT', { limit: 1000, pre_auth_limit: 4, window_seconds: WINDOW })
    await freshWindow()
    const { ok, limited } = await exhaust(() => call(sb.url, '/v1/health'), 10)
    expect(ok).toHaveLength(4)
    ok.forEach((a, i) => expect(expectRateHeaders(a, 4).remaining).toBe(3 - i))
    const err = expectError(limited, 429, 'TOO_MANY_REQUESTS')
    expect(Number(limited.headers.get('rate-limit-limit'))).toBe(4)
    expect(err.details).toEqual({ retryAfter: Number(limited.headers.get('retry-after')) })
    // every request from the IP counts, authenticated or not
    expectError(await list(), 429, 'TOO_MANY_REQUESTS')
    expectError(await call(sb.url, '/v1/nowhere'), 429, 'TOO_MANY_REQUESTS')
  })

  it('control routes never count and still answer when the IP is over its limit', async () => {
    await control(sb.url, '/limits', 'PUT', { limit: 1000, pre_auth_limit: 2, window_seconds: WINDOW })
    await freshWindow()
    for (let i = 0; i < 5; i++) {
      const s = await call(sb.url, '/__sandbox/state')
      expect(s.status).toBe(200)
      expect(expectRateHeaders(s, 2).remaining).toBe(2)
    }
    await call(sb.url, '/v1/health')
    await call(sb.url, '/v1/health')
    expect((await call(sb.url, '/v1/health')).status).toBe(429)
    const s = await call(sb.url, '/__sandbox/state')
    expect(s.status).toBe(200)
    expect(s.body.limits).toEqual({ limit: 1000, pre_auth_limit: 2, window_seconds: WINDOW })
  })

  it('PUT /__sandbox/limits validates its body and resets the windows', async () => {
    expectError(await call(sb.url, '/__sandbox/limits', { method: 'PUT', body: { window_seconds: 0 } }), 400, 'VALIDATION_ERROR')
    expectError(await call(sb.url, '/__sandbox/limits', { method: 'PUT', body: { limit: 'many' } }), 400, 'VALIDATION_ERROR')
    await control(sb.url, '/limits', 'PUT', { pre_auth_limit: 1 })
    await call(sb.url, '/v1/health')
    expect((await call(sb.url, '/v1/health')).status).toBe(429)
    await control(sb.url, '/limits', 'PUT', { pre_auth_limit: 1 })
    expect((await call(sb.url, '/v1/health')).status).toBe(200)
  })
})

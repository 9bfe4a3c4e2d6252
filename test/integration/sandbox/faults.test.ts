import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src/sandbox'
import { call, control, expectError, expectRateHeaders } from './helpers'

// Fault injection (/__sandbox/faults): latency, error rate, 429 storms, dropped connections.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sb: Sandbox
let T: { id: string; key: string }

beforeAll(async () => {
  sb = await startSandbox({ port: 0, tenants: 1, seedKeys: 3, quiet: true })
  T = { id: sb.tenants[0]!.id, key: sb.tenants[0]!.admin_key }
})
afterAll(() => sb?.close())
beforeEach(async () => {
  await control(sb.url, '/faults', 'DELETE')
})
const list = () => call(sb.url, '/v1/api-keys?limit=1', { key: T.key, tenant: T.id })

describe('faults', () => {
  it('adds latency to /v1 routes only', async () => {
    // A whole second of injected latency: far above any loopback answer, even on a loaded machine.
    await control(sb.url, '/faults', 'PUT', { latency_ms: 1000 })
    let t = Date.now()
    expect((await list()).status).toBe(200)
    expect(Date.now() - t).toBeGreaterThanOrEqual(980)
    t = Date.now()
    expect((await call(sb.url, '/__sandbox/state')).status).toBe(200)
    expect(Date.now() - t).toBeLessThan(900)
  })

  it('error_rate 1 with error_status 503 → 503 SERVICE_UNAVAILABLE with retry_after', async () => {
    const set = await control<{ faults: { error_rate: number } }>(sb.url, '/faults', 'PUT', { error_rate: 1, error_status: 503, retry_after: 2 })
    expect(set.faults.error_rate).toBe(1)
    const a = await list()
    const err = expectError(a, 503, 'SERVICE_UNAVAILABLE')
    expect(err.details).toEqual({ retry_after: 2 })
    expect(a.headers.get('retry-after')).toBe('2')
    expectError(await call(sb.url, '/v1/health'), 503, 'SERVICE_UNAVAILABLE')
    // never the control routes
    expect((await call(sb.url, '/__sandbox/state')).status).toBe(200)
  })

  it('error_rate defaults to 500 INTERNAL_ERROR; 408 REQUEST_TIMEOUT on request', async () => {
    await control(sb.url, '/faults', 'PUT', { error_rate: 1 })
    expectError(await list(), 500, 'INTERNAL_ERROR')
    await control(sb.url, '/faults', 'PUT', { error_rate: 1, error_status: 408 })
    expectError(await list(), 408, 'REQUEST_TIMEOUT')
  })

  it('error_rate 0.5 fails some requests and not others', async () => {
    await control(sb.url, '/faults', 'PUT', { error_rate: 0.5 })
    const statuses = await Promise.all(Array.from({ length: 40 }, () => call(sb.url, '/v1/health').then((a) => a.status)))
    expect(statuses).toContain(200)
    expect(statuses).toContain(500)
    expect(statuses.filter((s) => s !== 200 && s !== 500)).toEqual([])
  })

  it('a 429 storm answers the next N requests with Retry-After, then recovers', async () => {
    await control(sb.url, '/faults', 'PUT', { rate_limit_storm: { count: 2, retry_after_seconds: 3 } })
    for (let i = 0; i < 2; i++) {
      const a = await list()
      const err = expectError(a, 429, 'TOO_MANY_REQUESTS')
      expect(a.headers.get('retry-after')).toBe('3')
      expect(err.details).toEqual({ retryAfter: 3 })
      expect(expectRateHeaders(a).remaining).toBe(0)
    }
    expect((await list()).status).toBe(200)
  })

  it('drops the next connections without a response: fetch rejects', async () => {
    await control(sb.url, '/faults', 'PUT', { drop_connections: 2 })
    await expect(fetch(`${sb.url}/v1/health`)).rejects.toThrow()
    await expect(
      fetch(`${sb.url}/v1/api-keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${T.key}`, 'x-meshqu-tenant-id': T.id, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'never-made', scopes: ['alerts:read'] })
      })
    ).rejects.toThrow()
    expect((await call(sb.url, '/v1/health')).status).toBe(200)
    const made = await call(sb.url, '/v1/api-keys?limit=500', { key: T.key, tenant: T.id })
    expect(made.body.data.map((k: { name: string }) => k.name)).not.toContain('never-made')
  })

  it('not_ready makes /v1/ready answer 503 while health stays 200', async () => {
    await control(sb.url, '/faults', 'PUT', { not_ready: true })
    expectError(await call(sb.url, '/v1/ready'), 503, 'SERVICE_UNAVAILABLE')
    expect((await call(sb.url, '/v1/health')).status).toBe(200)
    await control(sb.url, '/faults', 'DELETE')
    expect((await call(sb.url, '/v1/ready')).status).toBe(200)
  })

  it('PUT replaces every fault; DELETE clears them; bad input → 400', async () => {
    await control(sb.url, '/faults', 'PUT', { error_rate: 1 })
    const replaced = await control<{ faults: Record<string, unknown> }>(sb.url, '/faults', 'PUT', { latency_ms: 1 })
    expect(replaced.faults).toMatchObject({ error_rate: 0, latency_ms: 1 })
    const cleared = await control<{ faults: Record<string, unknown> }>(sb.url, '/faults', 'DELETE')
    expect(cleared.faults).toMatchObject({ error_rate: 0, latency_ms: 0, drop_connections: 0, not_ready: false, rate_limit_storm: null })
    expectError(await call(sb.url, '/__sandbox/faults', { method: 'PUT', body: { error_rate: 2 } }), 400, 'VALIDATION_ERROR')
    expectError(await call(sb.url, '/__sandbox/faults', { method: 'PUT', body: { error_status: 418 } }), 400, 'VALIDATION_ERROR')
  })

  it('the in-process control helpers do the same', async () => {
    sb.control.setFaults({ rate_limit_storm: { count: 1, retry_after_seconds: 5 } })
    expect((await list()).headers.get('retry-after')).toBe('5')
    expect((await list()).status).toBe(200)
    expect(sb.control.state().faults.rate_limit_storm).toBeNull()
  })
})

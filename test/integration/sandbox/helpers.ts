import { expect } from 'vitest'

// Helpers for the sandbox integration tests. Expectations come from /work/shared/API.md.

export interface Creds {
  key?: string
  tenant?: string
}

export interface Answer<T = unknown> {
  status: number
  headers: Headers
  body: T
}

export async function call<T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
  base: string,
  path: string,
  opts: Creds & { method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...opts.headers }
  if (opts.key !== undefined) headers.authorization = `Bearer ${opts.key}`
  if (opts.tenant !== undefined) headers['x-meshqu-tenant-id'] = opts.tenant
  let body: string | undefined
  if (opts.rawBody !== undefined) body = opts.rawBody
  else if (opts.body !== undefined) body = JSON.stringify(opts.body)
  if (body !== undefined) headers['content-type'] ??= 'application/json'
  const res = await fetch(`${base}${path}`, { method: opts.method ?? 'GET', headers, body })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    // leave as text
  }
  return { status: res.status, headers: res.headers, body: parsed as T }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** [DOC] `{ "error": { "code", "message", "details" }, "correlation_id" }`, echoed in x-correlation-id. */
export function expectError(a: Answer, status: number, code: string) {
  expect(a.status, JSON.stringify(a.body)).toBe(status)
  const body = a.body as { error: { code: string; message: string; details: unknown }; correlation_id: string }
  expect(Object.keys(body).sort()).toEqual(['correlation_id', 'error'])
  expect(Object.keys(body.error).sort()).toEqual(['code', 'details', 'message'])
  expect(body.error.code).toBe(code)
  expect(typeof body.error.message).toBe('string')
  expect(body.error.message.length).toBeGreaterThan(0)
  expect(typeof body.error.details).toBe('object')
  expect(body.correlation_id).toMatch(UUID)
  expect(a.headers.get('x-correlation-id')).toBe(body.correlation_id)
  expectRateHeaders(a)
  return body.error
}

/** [DOC] rate-limit-limit / -remaining / -reset on every response; reset an epoch second [ASSUMED]. */
export function expectRateHeaders(a: Answer, limit?: number) {
  const l = Number(a.headers.get('rate-limit-limit'))
  const r = Number(a.headers.get('rate-limit-remaining'))
  const reset = Number(a.headers.get('rate-limit-reset'))
  expect(Number.isInteger(l) && l > 0, `rate-limit-limit ${a.headers.get('rate-limit-limit')}`).toBe(true)
  expect(Number.isInteger(r) && r >= 0 && r <= l, `rate-limit-remaining ${a.headers.get('rate-limit-remaining')}`).toBe(true)
  expect(Number.isInteger(reset)).toBe(true)
  const nowS = Date.now() / 1000
  expect(reset).toBeGreaterThan(nowS - 1)
  expect(reset).toBeLessThan(nowS + 3600)
  if (limit !== undefined) expect(l).toBe(limit)
  expect(a.headers.get('x-correlation-id')).toMatch(UUID)
  return { limit: l, remaining: r, reset }
}

export const control = async <T = unknown>(base: string, path: string, method: string, body?: unknown): Promise<T> => {
  const a = await call<T>(base, `/__sandbox${path}`, { method, body })
  if (a.status >= 300) throw new Error(`control ${method} ${path} → ${a.status} ${JSON.stringify(a.body)}`)
  return a.body
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A shape that looks like a full plaintext key; never in any response but create's. */
export const PLAINTEXT_LIKE = /mqu_test_[A-Za-z0-9]{20,}/

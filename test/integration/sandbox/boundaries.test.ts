import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../../src/sandbox'

// What a web page can make a browser send to the sandbox, sent here byte for byte with node:http
// (fetch would not let a test choose the Host header or keep a raw %5F path).
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sb: Sandbox
let port = 0
beforeAll(async () => {
  sb = await startSandbox({ port: 0, tenants: 1, seedKeys: 1, quiet: true })
  port = Number(new URL(sb.url).port)
})
afterAll(() => sb?.close())

function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { host: `127.0.0.1:${port}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers }
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      }
    )
    req.on('error', reject)
    req.end(body)
  })
}
const tenantCount = () => sb.control.state().tenants.length

describe('/__sandbox is decided on the matched route', () => {
  it('a percent-encoded /%5F%5Fsandbox path gets the control route checks (refused from a page)', async () => {
    const before = tenantCount()
    const res = await send('POST', '/%5F%5Fsandbox/tenants', { origin: 'https://evil.example' }, '{}')
    expect(res.status).toBe(403)
    expect(JSON.parse(res.body).error.code).toBe('FORBIDDEN')
    expect(tenantCount()).toBe(before)
  })
})

describe('web pages cannot drive the sandbox', () => {
  it('refuses a control request that carries an Origin, even same-host', async () => {
    const before = tenantCount()
    for (const origin of ['https://evil.example', `http://127.0.0.1:${port}`, 'null']) {
      expect((await send('POST', '/__sandbox/tenants', { origin }, '{}')).status, origin).toBe(403)
    }
    expect((await send('PUT', '/__sandbox/faults', { 'sec-fetch-site': 'cross-site' }, '{"latency_ms":1}')).status).toBe(403)
    expect(tenantCount()).toBe(before)
  })

  it('refuses any request whose Host is a foreign name (DNS rebinding), /v1 included', async () => {
    const before = tenantCount()
    expect((await send('POST', '/__sandbox/tenants', { host: `rebind.evil.example:${port}` }, '{}')).status).toBe(403)
    expect((await send('GET', '/v1/health', { host: `rebind.evil.example:${port}` })).status).toBe(403)
    expect((await send('GET', '/v1/health', { host: `localhost:${port + 1}` })).status).toBe(403)
    expect(tenantCount()).toBe(before)
  })

  it('a terminal client (no Origin, loopback Host) still drives it', async () => {
    const before = tenantCount()
    expect((await send('POST', '/__sandbox/tenants', {}, '{}')).status).toBe(201)
    expect((await send('GET', '/__sandbox/state', { host: `localhost:${port}` })).status).toBe(200)
    expect((await send('GET', '/v1/health', { host: `[::1]:${port}` })).status).toBe(200)
    expect(tenantCount()).toBe(before + 1)
  })
})

describe('web pages cannot spend the budget KeyDesk shares', () => {
  it('refuses /v1 (and any other path) from a page before counting it against the client IP', async () => {
    expect((await send('PUT', '/__sandbox/limits', {}, '{"pre_auth_limit":5}')).status).toBe(200)
    try {
      const page: Array<Record<string, string>> = [
        { origin: 'https://evil.example' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
        { 'sec-fetch-site': 'same-origin' },
        { origin: 'null', 'sec-fetch-site': 'cross-site' }
      ]
      for (let i = 0; i < 3; i++) {
        for (const headers of page) {
          for (const path of ['/v1/health', '/v1/api-keys', '/%761/health', '/nowhere']) {
            const res = await send('GET', path, headers)
            expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403)
            expect(JSON.parse(res.body).error.code).toBe('FORBIDDEN')
          }
        }
      }
      // A terminal client or KeyDesk itself (no Origin; Sec-Fetch-Site absent or none) is answered.
      expect((await send('GET', '/v1/health')).status).toBe(200)
      const own = await send('GET', '/v1/health', { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'cors' })
      expect(own.status).toBe(200)
    } finally {
      await send('PUT', '/__sandbox/limits', {}, '{"pre_auth_limit":10000}')
    }
  })
})

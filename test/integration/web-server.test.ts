import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import { startWebServer } from '../../src/main/web/server'
import { contentSecurityPolicy } from '../../src/shared/csp'

let core: Core
let web: Awaited<ReturnType<typeof startWebServer>>

beforeAll(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'keydesk-web-'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>KeyDesk</title>')
  mkdirSync(join(rendererDir, 'assets'))
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'keydesk-webdata-')), secretStore: createMemorySecretStore(), logger: silentLogger })
  web = await startWebServer({ core, rendererDir, log: silentLogger })
})
afterAll(async () => {
  await web?.close()
  await core?.dispose()
})

/** Raw HTTP so Host and Origin can be set to anything (fetch forbids forging them). */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const { port } = new URL(web.origin)
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
      }
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}
const session = (headers: Record<string, string>, body: string) =>
  raw('/session', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
const rpc = (headers: Record<string, string>, body = JSON.stringify({ channel: 'tenants.list', payload: {} })) =>
  raw('/rpc', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

describe('web preview server', () => {
  it('listens on loopback; the URL to open carries a one-time code in its fragment, never the token', () => {
    expect(web.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(web.token.length).toBeGreaterThanOrEqual(40)
    const url = web.launchUrl()
    expect(url).toMatch(new RegExp(`^${web.origin}/#code=[A-Za-z0-9_-]{40,}$`))
    expect(url).not.toContain(web.token)
    expect(web.launchUrl()).not.toBe(url)
  })

  it('exchanges a one-time code for the session token once: a used or unknown code is refused', async () => {
    const code = new URL(web.launchUrl()).hash.replace('#code=', '')
    const first = await session({ origin: web.origin }, JSON.stringify({ code }))
    expect(first.status).toBe(200)
    expect(JSON.parse(first.body)).toEqual({ token: web.token })
    // Useless once used: a second exchange (a local user who read it later) gets nothing.
    const again = await session({ origin: web.origin }, JSON.stringify({ code }))
    expect(again.status).toBe(401)
    expect(again.body).not.toContain(web.token)
    expect((await session({ origin: web.origin }, JSON.stringify({ code: 'made-up' }))).status).toBe(401)
    expect((await session({ origin: web.origin }, JSON.stringify({ code: web.token }))).status).toBe(401)
  })

  it('refuses a code exchange from a foreign Origin, a foreign Host, or with a malformed body', async () => {
    const code = new URL(web.launchUrl()).hash.replace('#code=', '')
    expect((await session({ origin: 'https://evil.example' }, JSON.stringify({ code }))).status).toBe(403)
    expect((await session({}, JSON.stringify({ code }))).status).toBe(403)
    expect((await session({ origin: web.origin, host: 'rebind.evil.example' }, JSON.stringify({ code }))).status).toBe(421)
    expect((await session({ origin: web.origin }, '{"code":')).status).toBe(400)
    expect((await session({ origin: web.origin }, JSON.stringify({ code, extra: 1 }))).status).toBe(401)
    expect((await raw('/session')).status).toBe(405)
    // Refusals do not spend the code: its owner can still use it.
    expect((await session({ origin: web.origin }, JSON.stringify({ code }))).status).toBe(200)
  })

  it('serves the renderer with the same CSP as the Electron build', async () => {
    const page = await raw('/')
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy())
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'")
    expect((await raw('/assets/app.js')).headers['content-type']).toMatch(/javascript/)
    expect((await raw('/../../etc/passwd')).status).toBe(404)
    expect((await raw('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404)
  })

  it('answers a call that presents the token from the served origin through the same core', async () => {
    const res = await rpc({ origin: web.origin, authorization: `Bearer ${web.token}` })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, data: { tenants: [] } })
    const bad = await rpc({ origin: web.origin, authorization: `Bearer ${web.token}` }, JSON.stringify({ channel: 'nope', payload: 1 }))
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('refuses a call without the token or with a wrong one', async () => {
    expect((await rpc({ origin: web.origin })).status).toBe(401)
    expect((await rpc({ origin: web.origin, authorization: `Bearer ${web.token.slice(0, -1)}x` })).status).toBe(401)
  })

  it('refuses a foreign Origin (CSRF) and a missing one', async () => {
    expect((await rpc({ origin: 'https://evil.example', authorization: `Bearer ${web.token}` })).status).toBe(403)
    expect((await rpc({ authorization: `Bearer ${web.token}` })).status).toBe(403)
  })

  it('refuses a foreign Host header (DNS rebinding), for pages and calls', async () => {
    expect((await raw('/', { headers: { host: 'rebind.evil.example' } })).status).toBe(421)
    expect((await rpc({ host: `localhost:${new URL(web.origin).port}`, origin: web.origin, authorization: `Bearer ${web.token}` })).status).toBe(421)
  })

  it('refuses non-JSON calls and GET on the endpoint', async () => {
    expect((await rpc({ origin: web.origin, authorization: `Bearer ${web.token}`, 'content-type': 'text/plain' })).status).toBe(415)
    expect((await raw('/rpc')).status).toBe(405)
  })
})

import { mkdtempSync, writeFileSync } from 'node:fs'
import { request, type IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import { startWebServer } from '../../src/main/web/server'
import type { Reply } from '../../src/shared/envelope'
import { EventBatchSchema, type KeyDeskEvent } from '../../src/shared/events'
import type { ApiKey } from '../../src/shared/meshqu'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
const HOUR = 3_600_000
let sandbox: Sandbox
let core: Core
let web: Awaited<ReturnType<typeof startWebServer>>
let clock = Date.parse('2026-11-23T12:00:00Z')
const tenants: string[] = []

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 10, quiet: true })
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-events-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    now: () => clock,
    timeoutMs: 2000,
    scheduleCheckMs: 20
  })
  for (const [i, t] of sandbox.tenants.entries()) {
    const added = ok<{ id: string }>(
      await core.invoke('tenants.add', { label: `events-${i}`, tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
    )
    tenants.push(added.id)
  }
  const rendererDir = mkdtempSync(join(tmpdir(), 'keydesk-events-web-'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>')
  web = await startWebServer({ core, rendererDir, log: silentLogger })
})
afterAll(async () => {
  await web?.close()
  await core?.dispose()
  await sandbox?.close()
})

/** POST /events with raw HTTP, so Host and Origin can be anything; the response is kept open. */
function openStream(headers: Record<string, string>, method = 'POST') {
  const { port } = new URL(web.origin)
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/events', method, headers: { host: `127.0.0.1:${port}`, ...headers } }, resolve)
    req.on('error', reject)
    req.end()
  })
}
const authorized = () => ({ origin: web.origin, authorization: `Bearer ${web.token}` })

/** Every batch the stream brings, checked against the schema as the renderer checks it. */
function collect(res: IncomingMessage) {
  const events: KeyDeskEvent[] = []
  let text = ''
  res.setEncoding('utf8')
  res.on('data', (chunk: string) => {
    text += chunk
    let end: number
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end)
      text = text.slice(end + 2)
      const data = block.split('\n').find((l) => l.startsWith('data: '))
      if (data) events.push(...EventBatchSchema.parse(JSON.parse(data.slice(6))).events)
    }
  })
  return events
}
async function until<T>(pick: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = pick()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error('condition not reached')
    await new Promise((r) => setTimeout(r, 20))
  }
}
const bodyOf = (res: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let b = ''
    res.on('data', (c) => (b += c))
    res.on('end', () => resolve(b))
  })
async function liveKey(tenant: string): Promise<ApiKey> {
  const { keys } = ok<{ keys: ApiKey[] }>(await core.invoke('keys.listAll', { tenant }))
  return keys.find(
    (k) => k.revoked_at === null && k.name !== 'keydesk-sandbox-admin' && (k.expires_at === null || Date.parse(k.expires_at) > clock + 3 * HOUR)
  )!
}

describe("main's event stream over the web preview's server", () => {
  it('refuses a stream without the token, from another origin, for another host, or by GET; nothing is streamed to them', async () => {
    const noToken = await openStream({ origin: web.origin })
    expect(noToken.statusCode).toBe(401)
    expect(await bodyOf(noToken)).not.toContain('data:')
    const wrongToken = await openStream({ origin: web.origin, authorization: 'Bearer not-the-token' })
    expect(wrongToken.statusCode).toBe(401)
    await bodyOf(wrongToken)
    const elsewhere = await openStream({ origin: 'http://evil.example', authorization: `Bearer ${web.token}` })
    expect(elsewhere.statusCode).toBe(403)
    await bodyOf(elsewhere)
    const noOrigin = await openStream({ authorization: `Bearer ${web.token}` })
    expect(noOrigin.statusCode).toBe(403)
    await bodyOf(noOrigin)
    const rebinding = await openStream({ ...authorized(), host: 'attacker.example:80' })
    expect(rebinding.statusCode).toBe(421)
    await bodyOf(rebinding)
    const get = await openStream(authorized(), 'GET')
    expect(get.statusCode).toBe(405)
    await bodyOf(get)
  })

  it('holds at most a handful of streams at once; one closed makes room for the next', async () => {
    const open: IncomingMessage[] = []
    for (let i = 0; i < 8; i++) {
      const res = await openStream(authorized())
      expect(res.statusCode).toBe(200)
      open.push(res)
    }
    const ninth = await openStream(authorized())
    expect(ninth.statusCode).toBe(429)
    await bodyOf(ninth)
    open.shift()!.destroy()
    // The server hears the close a moment later; then the next stream is let in.
    let again: IncomingMessage | undefined
    for (let tries = 0; tries < 100 && !again; tries++) {
      const res = await openStream(authorized())
      if (res.statusCode === 200) again = res
      else {
        await bodyOf(res)
        await new Promise((r) => setTimeout(r, 20))
      }
    }
    expect(again?.statusCode).toBe(200)
    open.push(again!)
    for (const res of open) res.destroy()
  })

  it("a scheduled revoke of another tenant's key arrives as its run (for the toast) and as the store's change, with the key named", async () => {
    const res = await openStream(authorized())
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
    const events = collect(res)
    try {
      const tenant = tenants[1]!
      const key = await liveKey(tenant)
      ok(await core.invoke('schedule.revoke', { tenant, keyId: key.id, in: '1h' }))
      clock += 2 * HOUR
      const ran = await until(() => events.find((e) => e.type === 'schedule.ran'))
      expect(ran).toEqual({ type: 'schedule.ran', tenant, tenantLabel: 'events-1', keyId: key.id, keyName: key.name, outcome: 'revoked' })
      // A list stored in the same burst folds into it (synced), so only what the revoke says is asked.
      expect(events).toContainEqual(expect.objectContaining({ type: 'store.changed', tenant, revoked: [key.id] }))
      // Main's store already says so when the event arrives.
      const stored = ok<{ hits: { key: ApiKey }[] }>(await core.invoke('keys.searchAll', { text: key.id }))
      expect(stored.hits.find((h) => h.key.id === key.id)?.key.revoked_at).not.toBeNull()
    } finally {
      res.destroy()
    }
  })

  it('a revoke over /rpc and a tenant going offline are told too; closing the server ends the stream', async () => {
    const res = await openStream(authorized())
    const events = collect(res)
    const ended = new Promise<void>((r) => res.on('close', () => r()))
    const tenant = tenants[0]!
    const key = await liveKey(tenant)
    ok(await core.invoke('keys.revoke', { tenant, id: key.id }))
    await until(() => events.find((e) => e.type === 'store.changed' && e.revoked?.includes(key.id)))
    // The sandbox stops: the tenant's next call finds it offline, and the stream says so.
    await sandbox.close()
    await core.invoke('keys.listAll', { tenant })
    expect(await until(() => events.find((e) => e.type === 'tenant.status' && e.tenant === tenant && e.status === 'offline'))).toEqual({
      type: 'tenant.status',
      tenant,
      status: 'offline'
    })
    await web.close()
    await ended
  })
})

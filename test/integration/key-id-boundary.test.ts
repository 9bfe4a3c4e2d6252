import { createServer, type IncomingMessage, type Server } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'

// A real MeshQu stand-in that records every request it receives: hostile key ids must not
// produce a single one (`DELETE /v1/api-keys/..` would arrive as `DELETE /v1/` with the admin key).
const received: { method?: string; url?: string; host?: string }[] = []
let server: Server
let core: Core
let tenant = ''

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    received.push({ method: req.method, url: req.url, host: req.headers.host })
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no such key' } }))
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const port = (server.address() as AddressInfo).port
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-ids-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    timeoutMs: 2000
  })
  const added = await core.invoke('tenants.add', {
    label: 'recorder',
    tenantId: '123e4567-e89b-12d3-a456-426614174000',
    baseUrl: `http://127.0.0.1:${port}`,
    environment: 'development',
    adminKey: 'mqu_live_' + 'B'.repeat(32),
    skipVerify: true
  })
  if (!added.ok) throw new Error(added.error.message)
  tenant = (added.data as { id: string }).id
})
afterAll(async () => {
  await core?.dispose()
  await new Promise((done) => server?.close(done))
})
beforeEach(() => void (received.length = 0))

describe('hostile key ids against a real server', () => {
  it.each(['..', '.', 'a/b', 'x'.repeat(5000), '%2e%2e'].map((id) => [id.slice(0, 12), id]))(
    '%s: VALIDATION, and the server receives nothing',
    async (_shown, id) => {
      for (const [channel, payload] of [
        ['keys.revoke', { tenant, id }],
        ['keys.get', { tenant, id }],
        ['bulk.revoke', { tenant, ids: [id] }]
      ] as const) {
        expect(await core.invoke(channel, payload), channel).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
      }
      expect(received).toEqual([])
    }
  )

  it('a well-formed id reaches the server at its own path (the recorder works)', async () => {
    const reply = await core.invoke('keys.revoke', { tenant, id: 'key_01HZX' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(received.map((r) => `${r.method} ${r.url}`)).toContain('DELETE /v1/api-keys/key_01HZX')
  })
})

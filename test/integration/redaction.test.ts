import { createServer, type Server } from 'node:http'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { createLogger } from '../../src/main/core/log'

// A server that echoes secrets back in its errors: the admin key KeyDesk sent, and the plaintext
// of the key it just created. Neither looks like a MeshQu key, so only exact-secret redaction
// (sessions and reveal slots register what they hold) keeps them out of replies and logs.
const ADMIN_KEY = 'adm1n"K3y/with+odd&chars~Wq7R'
const PLAINTEXT = 'n3wPl41n/text"key+9Zx4'
const KEY = {
  id: 'key_new',
  tenant_id: '123e4567-e89b-12d3-a456-426614174000',
  name: 'fresh',
  key_preview: '...9Zx4',
  scopes: ['audit:read'],
  expires_at: null,
  last_used_at: null,
  is_active: true,
  created_at: '2025-01-01T00:00:00Z',
  created_by: null,
  revoked_at: null,
  revoked_by: null
}
let server: Server
let core: Core
let tenant = ''
const logLines: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '').replace(/^Bearer /, '')
    res.setHeader('content-type', 'application/json')
    if (req.method === 'POST') {
      res.statusCode = 201
      return res.end(JSON.stringify({ key: KEY, plaintext_key: PLAINTEXT }))
    }
    res.statusCode = 400
    res.end(
      JSON.stringify({
        error: {
          code: 'VALIDATION_ERROR',
          message: `bad credentials ${auth} (${encodeURIComponent(auth)}); last key ${PLAINTEXT} ${encodeURIComponent(PLAINTEXT)}`,
          details: { fields: { authorization: auth, [JSON.stringify(PLAINTEXT)]: JSON.stringify({ echoed: PLAINTEXT }) } }
        }
      })
    )
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-redact-')),
    secretStore: createMemorySecretStore(),
    logger: createLogger((l) => logLines.push(l), 'debug')
  })
  const added = await core.invoke('tenants.add', {
    label: 'echo',
    tenantId: KEY.tenant_id,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    environment: 'development',
    adminKey: ADMIN_KEY,
    skipVerify: true
  })
  if (!added.ok) throw new Error(added.error.message)
  tenant = (added.data as { id: string }).id
})
afterAll(async () => {
  await core?.dispose()
  await new Promise((done) => server?.close(done))
})

describe('exact-secret redaction of what KeyDesk holds', () => {
  it('an error echoing the admin key and a slot plaintext carries neither, in message or fields; nor do the logs', async () => {
    const created = await core.invoke('keys.create', { tenant, key: { name: 'fresh', scopes: ['audit:read'] } })
    expect(created.ok).toBe(true)
    const reply = await core.invoke('keys.get', { tenant, id: 'key_new' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: expect.any(Object) } })
    const text = JSON.stringify(reply) + logLines.join('\n')
    for (const secret of [ADMIN_KEY, PLAINTEXT]) {
      for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) expect(text).not.toContain(form)
    }
    expect(text).not.toContain('K3y')
    expect(text).not.toContain('n3wPl41n')
    expect(JSON.stringify(reply)).toContain('...Wq7R')
  })
})

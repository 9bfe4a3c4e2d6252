import { mkdtempSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../src/main/core'
import { silentLogger } from '../../src/main/core/log'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'

// A host that accepts connections and never answers (issue 13 §2.4).
let server: Server
let requests = 0
let core: Core
let url: string
beforeAll(async () => {
  server = createServer(() => {
    requests++
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  core = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'keydesk-verify-')),
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    timeoutMs: 300
  })
})
afterAll(async () => {
  await core?.dispose()
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

describe('verifying against a host that never answers', () => {
  it('makes one bounded attempt (no retries), and the error names the wait it really took', async () => {
    const reply = await core.invoke('tenants.add', {
      label: 'deaf',
      tenantId: '123e4567-e89b-12d3-a456-426614174000',
      baseUrl: url,
      environment: 'staging',
      adminKey: `mqu_live_${'abcdefghijklm'.repeat(2)}`
    })
    expect(reply.ok).toBe(false)
    if (reply.ok) return
    expect(reply.error.code).toBe('TIMEOUT')
    expect(requests).toBe(1)
    expect(reply.error.fields?.baseUrl).toBeDefined()
  })
})

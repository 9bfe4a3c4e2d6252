import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NewTenantSchema } from '../../../src/shared/contract'
import { checkBaseUrl, createMeshquClient } from '../../../src/main/core/meshqu/client'
import { CoreError } from '../../../src/main/core/errors'
import { fieldErrors } from '../../../src/main/core/router'

const tenant = {
  label: 'x',
  tenantId: '123e4567-e89b-12d3-a456-426614174000',
  environment: 'production',
  adminKey: 'mqu_live_' + 'C'.repeat(32)
}

const REFUSED = [
  'https://user:hunter2@api.meshqu.com',
  'https://user@api.meshqu.com',
  'https://@api.meshqu.com',
  'https://api.meshqu.com/?tenant=1',
  'https://api.meshqu.com?',
  'https://api.meshqu.com/#frag',
  'https://api.meshqu.com#',
  'http://user:hunter2@127.0.0.1:4010'
]

describe('base URL refusals', () => {
  it.each(REFUSED)('%s: the form gets a field error on baseUrl', (baseUrl) => {
    const parsed = NewTenantSchema.safeParse({ ...tenant, baseUrl })
    expect(parsed.success).toBe(false)
    if (!parsed.success) expect(Object.keys(fieldErrors(parsed.error))).toEqual(['baseUrl'])
  })

  it.each(REFUSED)('%s: the client refuses it too, with fields.baseUrl and no password in the message', (baseUrl) => {
    let err: unknown
    try {
      checkBaseUrl(baseUrl)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(CoreError)
    const app = (err as CoreError).toAppError()
    expect(app.code).toBe('VALIDATION')
    expect(app.fields?.baseUrl).toEqual(expect.any(String))
    expect(app.message).not.toContain('hunter2')
  })

  it('still accepts ordinary base URLs, with a path', () => {
    for (const baseUrl of [
      'https://api.meshqu.com',
      'https://api.meshqu.com/meshqu/',
      'http://127.0.0.1:4010',
      'http://[::1]:4010',
      'http://localhost:4010'
    ]) {
      expect(NewTenantSchema.safeParse({ ...tenant, baseUrl }).success, baseUrl).toBe(true)
      expect(() => checkBaseUrl(baseUrl)).not.toThrow()
    }
  })
})

// `localhost` is never resolved for plain http: KeyDesk connects to 127.0.0.1, so a hosts file or
// resolver cannot send the admin key elsewhere in clear. The server sees Host 127.0.0.1:port.
describe('http://localhost means loopback', () => {
  let server: Server
  const hosts: string[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      hosts.push(req.headers.host ?? '')
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: 'ok' }))
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  })
  afterAll(() => new Promise((done) => server.close(done)))

  it('connects to 127.0.0.1 without asking the resolver', async () => {
    const port = (server.address() as AddressInfo).port
    expect(checkBaseUrl(`http://localhost:${port}`).hostname).toBe('127.0.0.1')
    const client = createMeshquClient({ baseUrl: `http://localhost:${port}`, tenantId: tenant.tenantId, tenantLabel: 'x', adminKey: tenant.adminKey })
    await client.health()
    expect(hosts).toEqual([`127.0.0.1:${port}`])
  })

  it('leaves https://localhost to TLS, which checks the name', () => {
    expect(checkBaseUrl('https://localhost:8443').hostname).toBe('localhost')
  })
})

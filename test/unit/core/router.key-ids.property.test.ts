import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createCore } from '../../../src/main/core'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../../src/main/core/log'

// Hostile key ids must be refused by the contract (VALIDATION) and never become a request:
// `DELETE /v1/api-keys/..` resolves to `DELETE /v1/` with the admin key attached.
const fetched: string[] = []
const recordingFetch = (async (url: URL | string) => {
  fetched.push(String(url))
  throw new TypeError('fetch failed') // any answer will do: the tests only count calls
}) as typeof fetch

const core = createCore({
  dataDir: mkdtempSync(join(tmpdir(), 'keydesk-keyids-')),
  secretStore: createMemorySecretStore(),
  fetch: recordingFetch,
  logger: silentLogger,
  timeoutMs: 200
})
afterAll(() => core.dispose())

let tenant = ''
beforeAll(async () => {
  const added = await core.invoke('tenants.add', {
    label: 'fuzz',
    tenantId: '123e4567-e89b-12d3-a456-426614174000',
    baseUrl: 'https://meshqu.invalid',
    environment: 'development',
    adminKey: 'mqu_live_' + 'A'.repeat(32),
    skipVerify: true
  })
  if (!added.ok) throw new Error(added.error.message)
  tenant = (added.data as { id: string }).id
})
beforeEach(() => void (fetched.length = 0))

const HOSTILE = ['.', '..', 'a/b', '../admin', '%2e%2e', 'a%2Fb', 'a?b', 'a#b', 'a b', '', 'x'.repeat(5000), 'ключ', 'a\u0000b', 'a\\b', 'a.b']
/** Every way a key id enters the contract. */
const payloads = (id: string): [string, unknown][] => [
  ['keys.get', { tenant, id }],
  ['keys.revoke', { tenant, id }],
  ['keys.rotate', { tenant, id, name: 'replacement' }],
  ['keys.finishRotation', { tenant, oldKeyId: id, newKeyId: 'key_ok', revokeOld: true }],
  ['keys.finishRotation', { tenant, oldKeyId: 'key_ok', newKeyId: id, revokeOld: false }],
  ['bulk.revoke', { tenant, ids: ['key_ok', id] }]
]
const unsafeId = fc.string({ unit: 'binary', maxLength: 300 }).filter((s) => !/^[A-Za-z0-9_-]{1,128}$/.test(s))

describe('key ids at the contract', () => {
  it('a well-formed id does reach fetch (so the refusals below are the contract, not the setup)', async () => {
    const reply = await core.invoke('keys.get', { tenant, id: '0b6f3c1e-2d4a-4f8b-9c7e-5a1d2e3f4a5b' })
    expect(reply.ok).toBe(false)
    expect(fetched.length).toBeGreaterThan(0)
    expect(fetched[0]).toBe('https://meshqu.invalid/v1/api-keys/0b6f3c1e-2d4a-4f8b-9c7e-5a1d2e3f4a5b')
  })

  it.each(HOSTILE.map((id) => [JSON.stringify(id).slice(0, 24), id]))(
    'refuses %s as VALIDATION on every channel, with a field error, and sends nothing',
    async (_shown, id) => {
      for (const [channel, payload] of payloads(id)) {
        const reply = await core.invoke(channel, payload)
        expect(reply, channel).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
        if (!reply.ok) expect(Object.keys(reply.error.fields ?? {}).join(), channel).toMatch(/^(id|oldKeyId|newKeyId|ids\.1)$/)
      }
      expect(fetched).toEqual([])
    }
  )

  it('refuses any id outside [A-Za-z0-9_-]{1,128} and never fetches', async () => {
    await fc.assert(
      fc.asyncProperty(unsafeId, fc.integer({ min: 0, max: 5 }), async (id, which) => {
        const [channel, payload] = payloads(id)[which]!
        const reply = await core.invoke(channel, payload)
        expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
        expect(fetched).toEqual([])
      }),
      { numRuns: 300 }
    )
  })

  it('bounds every other string the renderer sends', async () => {
    const long = 'x'.repeat(100_000)
    const cases: [string, unknown][] = [
      ['keys.list', { tenant: long }],
      ['secrets.reveal', { revealId: long }],
      ['bulk.status', { jobId: long }],
      ['tenants.remove', { tenant, confirmLabel: long }],
      ['tenants.add', { label: 'a', tenantId: '123e4567-e89b-12d3-a456-426614174000', environment: 'sandbox', adminKey: long }],
      [
        'tenants.add',
        { label: 'a', tenantId: '123e4567-e89b-12d3-a456-426614174000', environment: 'sandbox', adminKey: 'mqu_live_x', baseUrl: `https://h/${long}` }
      ],
      ['keys.create', { tenant, key: { name: long, scopes: ['api-keys:admin'] } }],
      ['audit.list', { tenant, action: long }]
    ]
    for (const [channel, payload] of cases)
      expect(await core.invoke(channel, payload), channel).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(fetched).toEqual([])
  })
})

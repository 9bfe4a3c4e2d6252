import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../../src/shared/contract'
import { ERROR_CODES } from '../../../src/shared/errors'
import { createCore } from '../../../src/main/core'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../../src/main/core/log'

// A fetch that must never be reached: malformed payloads are stopped by the router.
const forbiddenFetch = (async () => {
  throw new Error('network must not be reached by malformed input')
}) as typeof fetch

const core = createCore({
  dataDir: mkdtempSync(join(tmpdir(), 'keydesk-fuzz-')),
  secretStore: createMemorySecretStore(),
  fetch: forbiddenFetch,
  logger: silentLogger
})
afterAll(() => core.dispose())

const anyPayload = fc.oneof(
  fc.anything({ withBigInt: false, withMap: true, withSet: true, withDate: true, withTypedArray: true }),
  fc.record({ tenant: fc.anything() }, { requiredKeys: [] }),
  fc.record({ tenant: fc.string(), key: fc.anything(), id: fc.anything(), limit: fc.anything() }, { requiredKeys: [] })
)

describe('router under random payloads', () => {
  it('answers every contract channel with a well-formed reply and never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), anyPayload, async (channel, payload) => {
        const reply = await core.invoke(channel, payload)
        expect(typeof reply.ok).toBe('boolean')
        if (!reply.ok) {
          expect(ERROR_CODES).toContain(reply.error.code)
          expect(reply.error.code).not.toBe('INTERNAL')
          expect(typeof reply.error.message).toBe('string')
        }
      }),
      { numRuns: 400 }
    )
  })

  it('answers unknown channels with VALIDATION', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string().filter((s) => !(CHANNELS as string[]).includes(s)),
        anyPayload,
        async (channel, payload) => {
          const reply = await core.invoke(channel, payload)
          expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
        }
      ),
      { numRuns: 200 }
    )
  })

  it('rejects malformed input to tenant operations with VALIDATION and field errors', async () => {
    const reply = await core.invoke('keys.create', { tenant: 'x', key: { name: '   ', scopes: [] } })
    expect(reply.ok).toBe(false)
    if (reply.ok) return
    expect(reply.error.code).toBe('VALIDATION')
    expect(reply.error.fields).toMatchObject({ 'key.name': expect.any(String), 'key.scopes': expect.any(String) })
    const extra = await core.invoke('keys.list', { tenant: 'x', sneaky: true })
    expect(extra).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })
})

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createKeytarSecretStore } from '../../src/main/core/tenants/keytar-store'
import { forkKeychainWorker } from '../../src/main/core/tenants/keychain-worker-launcher'
import { KeychainUnavailableError } from '../../src/main/core/tenants/secret-store'
import { toAppError } from '../../src/main/core/errors'

// The keychain owner against real worker processes that crash, hang or talk nonsense
// (test/fixtures/fake-keychain-worker.cjs): the caller always gets an answer and the next call
// gets a fresh worker.
const fake = forkKeychainWorker(join(__dirname, '../fixtures/fake-keychain-worker.cjs'), [])

describe('keychain worker owner', () => {
  it('turns a worker crash into KEYCHAIN_UNAVAILABLE "locked", and forks a new worker for the next call', async () => {
    const store = createKeytarSecretStore('svc', { launch: fake, platform: 'linux' })
    const first = await store.get('a')
    const err = await store.get('crash').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KeychainUnavailableError)
    expect(err).toMatchObject({ reason: 'locked' })
    expect(toAppError(err)).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringMatching(/^The keychain is locked/) })
    const second = await store.get('a')
    expect(second).toMatch(/^value-of-a-from-\d+$/)
    // A different process answered after the crash.
    expect(second).not.toBe(first)
    await store.dispose()
  })

  it('fails a call the worker never answers, ends that worker, and answers the next call', async () => {
    // The per-call timeout also covers starting the worker; generous so a loaded machine cannot fail the first call.
    const store = createKeytarSecretStore('svc', { launch: fake, timeoutMs: 3000, platform: 'linux' })
    const before = await store.get('a')
    await expect(store.get('hang')).rejects.toMatchObject({ name: 'KeychainUnavailableError', reason: 'unavailable' })
    const after = await store.get('a')
    expect(after).toMatch(/^value-of-a-from-\d+$/)
    expect(after).not.toBe(before)
    await store.dispose()
  })

  it('ignores replies outside the protocol (the call then times out instead of trusting them)', async () => {
    const store = createKeytarSecretStore('svc', { launch: fake, timeoutMs: 3000, platform: 'linux' })
    await expect(store.get('garbage')).rejects.toBeInstanceOf(KeychainUnavailableError)
    await store.dispose()
  })

  it('says the keychain is unavailable, naming the fix, when the worker cannot start at all', async () => {
    const store = createKeytarSecretStore('svc', { launch: forkKeychainWorker('/nonexistent/keydesk-worker.cjs', []), platform: 'linux' })
    expect(await store.availability()).toBe('unavailable')
    await expect(store.get('a')).rejects.toBeInstanceOf(KeychainUnavailableError)
    await store.dispose()
  })
})

import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createKeytarSecretStore } from '../../src/main/core/tenants/keytar-store'
import { KeychainUnavailableError } from '../../src/main/core/tenants/secret-store'
import { handle } from '../../src/main/core/tenants/keychain-worker'
import { forkKeychainWorker } from '../../src/main/core/tenants/keychain-worker-launcher'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createFleetStore } from '../../src/main/core/store/fleet-store'
import { makeKey } from '../fixtures/keys'
import { STORE_KEY_ACCOUNT, createDataKeyProvider } from '../../src/main/core/store/data-key'
import { silentLogger } from '../../src/main/core/log'

// The real OS keychain: under CI this is gnome-keyring in a private D-Bus session
// (scripts/with-test-keyring.mjs). KEYDESK_REQUIRE_KEYCHAIN=1 turns a missing keychain into a failure.
const reachable = process.platform !== 'linux' || !!process.env.DBUS_SESSION_BUS_ADDRESS
const required = process.env.KEYDESK_REQUIRE_KEYCHAIN === '1'

describe.skipIf(!reachable && !required)('keytar SecretStore against the real keychain', () => {
  const service = `keydesk-test-${randomUUID()}`
  const store = createKeytarSecretStore(service)

  it('stores, lists, reads and deletes secrets under service/account', async () => {
    const secret = `admin-${randomUUID()}`
    await store.set('profile-a', secret)
    await store.set('profile-b', 'other')
    expect(await store.get('profile-a')).toBe(secret)
    expect((await store.list()).sort()).toEqual(['profile-a', 'profile-b'])
    await store.set('profile-a', 'replaced')
    expect(await store.get('profile-a')).toBe('replaced')
    expect(await store.delete('profile-a')).toBe(true)
    expect(await store.delete('profile-a')).toBe(false)
    expect(await store.get('profile-a')).toBeNull()
    await store.delete('profile-b')
    expect(await store.list()).toEqual([])
  })

  it("holds the fleet store's data key: what one run stores opens in the next", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'keydesk-keychain-store-')), 'keydesk.db')
    const keys = [makeKey('k1'), makeKey('k2', { name: 'billing' })]
    const first = createFleetStore({ path, dataKey: createDataKeyProvider(store), log: silentLogger, now: Date.now })
    await first.syncKeys('p1', keys, 1)
    first.close()
    expect(await store.list()).toContain(STORE_KEY_ACCOUNT)
    // A fresh provider (a restart) reads the same key back from the keychain and opens the file.
    const second = createFleetStore({ path, dataKey: createDataKeyProvider(createKeytarSecretStore(service)), log: silentLogger, now: Date.now })
    expect(await second.keysOf('p1')).toEqual({ keys, syncedAt: 1 })
    expect(second.warnings()).toEqual([])
    second.close()
    await store.delete(STORE_KEY_ACCOUNT)
  })

  it('keeps services apart', async () => {
    const other = createKeytarSecretStore(`${service}-other`)
    await store.set('shared-account', 'one')
    await other.set('shared-account', 'two')
    expect(await store.get('shared-account')).toBe('one')
    expect(await other.get('shared-account')).toBe('two')
    await store.delete('shared-account')
    await other.delete('shared-account')
  })
})

describe('no Secret Service reachable', () => {
  it('a failing keychain module becomes KeychainUnavailableError naming the fix', async () => {
    // The worker answers "module" when keytar will not load; the owner names the fix.
    expect(await handle(async () => Promise.reject(new Error('dlopen failed')), { id: 7, op: 'get', service: 's', account: 'a' })).toEqual({
      id: 7,
      ok: false,
      failure: 'module'
    })
    const store = createKeytarSecretStore('keydesk-x', { launch: forkKeychainWorker('/nonexistent/keychain-worker.cjs', []) })
    await expect(store.get('a')).rejects.toBeInstanceOf(KeychainUnavailableError)
    await expect(store.list()).rejects.toThrow(/Secret Service|Keychain|Credential Manager/)
  })

  it.runIf(process.platform === 'linux')('the core answers KEYCHAIN_UNAVAILABLE when D-Bus has no Secret Service', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/keydesk-bus' }
    delete env.DISPLAY
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/keychain-probe.ts'], {
      env,
      encoding: 'utf8',
      timeout: 25_000
    })
    expect(run.status, run.stderr).toBe(0)
    const out = JSON.parse(run.stdout)
    expect(out.info).toMatchObject({ ok: true, data: { keychain: 'unavailable' } })
    expect(out.add).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } })
    expect(out.add.error.message).toMatch(/gnome-keyring|Secret Service/)
    expect(out.add.error.message).not.toContain('probe-admin-key-not-real')
    // Nothing half-saved: the profile was not written without its key.
    expect(out.list).toMatchObject({ ok: true, data: { tenants: [] } })
  })
})

import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { STORE_KEY_ACCOUNT, createDataKeyProvider } from '../../../src/main/core/store/data-key'
import { DATA_KEY_LOCK } from '../../../src/main/core/fs/creation-lock'
import { createMemorySecretStore } from '../../../src/main/core/tenants/memory-store'
import type { SecretStore } from '../../../src/main/core/tenants/secret-store'

// Two KeyDesk processes (Electron and `start:web`) share one data dir and one keychain. Each is
// modelled by its own provider over its own SecretStore object backed by the same entries, so
// nothing in-process can line them up: only the lock file in the data dir can. The second one's
// keychain writes are slower, so both read "no key" and the first has used its own key before
// the second's write lands (re-reading after the write cannot save that).
function twoProcessesOneKeychain(): [SecretStore, SecretStore, SecretStore] {
  const keychain = createMemorySecretStore()
  const later = () => new Promise<void>((r) => setImmediate(r))
  const view = (slowWrites: boolean): SecretStore => ({
    get: (a) => keychain.get(a),
    set: async (a, s) => {
      if (slowWrites) await later()
      return keychain.set(a, s)
    },
    delete: (a) => keychain.delete(a),
    list: () => keychain.list()
  })
  return [keychain, view(false), view(true)]
}

describe('cache data key under concurrent first use', () => {
  it('two processes sharing a data dir end up with one key, the one in the keychain', async () => {
    for (let round = 0; round < 20; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'keydesk-datakey-'))
      const [keychain, a, b] = twoProcessesOneKeychain()
      const [ka, kb] = await Promise.all([createDataKeyProvider(a, { lockDir: dir })(), createDataKeyProvider(b, { lockDir: dir })()])
      expect(ka.equals(kb), `round ${round}`).toBe(true)
      expect(await keychain.get(STORE_KEY_ACCOUNT)).toBe(ka.toString('base64'))
      expect(existsSync(join(dir, DATA_KEY_LOCK))).toBe(false) // released
    }
  })

  it('two providers over one store in one process agree too (no data dir given)', async () => {
    const secrets = createMemorySecretStore()
    const [ka, kb] = await Promise.all([createDataKeyProvider(secrets)(), createDataKeyProvider(secrets)()])
    expect(ka.equals(kb)).toBe(true)
  })

  it('a lock left behind by a process that died is broken once stale', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-datakey-'))
    const lock = join(dir, DATA_KEY_LOCK)
    writeFileSync(lock, '99999')
    const old = new Date(Date.now() - 60_000)
    utimesSync(lock, old, old)
    const key = await createDataKeyProvider(createMemorySecretStore(), { lockDir: dir })()
    expect(key).toHaveLength(32)
  })

  it('releases the lock when the keychain refuses the write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keydesk-datakey-'))
    const locked: SecretStore = { ...createMemorySecretStore(), set: async () => Promise.reject(new Error('keychain locked')) }
    await expect(createDataKeyProvider(locked, { lockDir: dir })()).rejects.toThrow('keychain locked')
    expect(existsSync(join(dir, DATA_KEY_LOCK))).toBe(false)
  })
})

describe('fleet store data key: a damaged keychain entry', () => {
  it.each([
    ['too short', Buffer.alloc(16, 1).toString('base64')],
    ['not base64', '!!not a key!!'],
    ['empty', '']
  ])('%s: refused as damaged and never overwritten; "start a new store" keeps it under another account', async (_, damaged) => {
    const secrets = createMemorySecretStore({ [STORE_KEY_ACCOUNT]: damaged })
    const provider = createDataKeyProvider(secrets, { now: () => Date.parse('2026-11-23T12:00:00Z') })
    await expect(provider()).rejects.toMatchObject({ code: 'STORE_UNREADABLE', problem: 'key-damaged' })
    expect(await secrets.get(STORE_KEY_ACCOUNT)).toBe(damaged)
    await provider.replaceDamaged()
    expect(await secrets.get(`${STORE_KEY_ACCOUNT}.damaged-2026-11-23T12-00-00-000Z`)).toBe(damaged)
    expect((await provider()).length).toBe(32)
  })
})

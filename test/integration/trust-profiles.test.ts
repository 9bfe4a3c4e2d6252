import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { silentLogger } from '../../src/main/core/log'
import { createKeytarSecretStore, type KeytarSecretStore } from '../../src/main/core/tenants/keytar-store'
import { STORE_KEY_ACCOUNT, tenantAccount } from '../../src/main/core/tenants/keychain-accounts'
import { encodeAdminKeyRecord } from '../../src/main/core/tenants/admin-key-record'
import type { Reply } from '../../src/shared/envelope'
import type { TenantProfile, TenantView } from '../../src/shared/tenants'
import { makeKey } from '../fixtures/keys'
import { LEGACY_PROBE_ACCOUNT, LEGACY_STORE_KEY_ACCOUNT, writeLegacyInstall } from '../fixtures/legacy-install'

// profiles.json is a file any program of the user can edit; the keychain is the trust anchor.
// Real keychain (scripts/with-test-keyring.mjs), real sandbox over HTTP, and a host that records
// every Authorization header it is sent, standing in for the place an edited base URL points to.
const reachable = process.platform !== 'linux' || !!process.env.DBUS_SESSION_BUS_ADDRESS
const required = process.env.KEYDESK_REQUIRE_KEYCHAIN === '1'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let elsewhere: Server
let elsewhereUrl: string
const sent: string[] = []
const keychains: KeytarSecretStore[] = []
const cores: Core[] = []

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 3, quiet: true })
  elsewhere = createServer((req, res) => {
    sent.push(String(req.headers.authorization ?? ''))
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[],"pagination":{"total":0,"limit":1,"offset":0}}')
  })
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve))
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`
})
afterAll(async () => {
  for (const c of cores) await c.dispose()
  for (const k of keychains) {
    for (const account of await k.list().catch(() => [])) await k.delete(account)
    await k.dispose()
  }
  await sandbox?.close()
  await new Promise((resolve) => elsewhere?.close(resolve))
})
beforeEach(() => void sent.splice(0))

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
const fail = (r: Reply<unknown>) => {
  if (r.ok) throw new Error('expected a failure')
  return r.error
}

/** A fresh data dir and its own keychain service, so no test sees another's items. */
function install() {
  const keychain = createKeytarSecretStore(`keydesk-test-${randomUUID()}`)
  keychains.push(keychain)
  const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-trust-'))
  const start = () => {
    const core = createCore({ dataDir, secretStore: keychain, logger: silentLogger, timeoutMs: 5000 })
    cores.push(core)
    return core
  }
  return { keychain, dataDir, start }
}

/** What another program running as the user can do: rewrite profiles.json. */
function editProfiles(dataDir: string, edit: (p: Record<string, unknown>) => Record<string, unknown>, plant: Record<string, unknown>[] = []) {
  const path = join(dataDir, 'profiles.json')
  const file = JSON.parse(readFileSync(path, 'utf8')) as { profiles: Record<string, unknown>[] }
  file.profiles = [...file.profiles.map(edit), ...plant]
  writeFileSync(path, JSON.stringify(file))
}

async function addProduction(core: Core, i = 0, baseUrl = sandbox.url): Promise<TenantView> {
  const t = sandbox.tenants[i]!
  return ok<TenantView>(
    await core.invoke('tenants.add', {
      label: `acme-prod-${i}`,
      tenantId: t.id,
      baseUrl,
      environment: 'production',
      level: 'protected',
      adminKey: t.admin_key
    })
  )
}

describe.skipIf(!reachable && !required)('profiles.json is checked against the keychain', () => {
  it('a base URL changed outside KeyDesk: the admin key is not sent, and the error names the tenant and the way on', async () => {
    const { dataDir, start } = install()
    const first = start()
    const prod = await addProduction(first)
    await first.dispose()
    editProfiles(dataDir, (p) => (p.id === prod.id ? { ...p, baseUrl: elsewhereUrl } : p))

    const next = start()
    const err = fail(await next.invoke('keys.list', { tenant: prod.id, limit: 1 }))
    expect(err.code).toBe('SETTINGS_CHANGED')
    expect(err.message).toContain('acme-prod-0')
    expect(err.message).toMatch(/changed outside KeyDesk/)
    expect(err.message).toMatch(/re-enter the admin key/i)
    expect(err.message).not.toContain(sandbox.tenants[0]!.admin_key)
    // Nothing reached the other host: not the key, not a request.
    expect(sent).toEqual([])
    // A scheduled or bulk revoke goes through the same session: refused the same way.
    expect(fail(await next.invoke('keys.revoke', { tenant: prod.id, id: 'k1', reason: 'x' })).code).toBe('SETTINGS_CHANGED')
    expect(sent).toEqual([])
  })

  it("an environment downgraded outside KeyDesk (production's safeguards off) is refused the same way", async () => {
    const { dataDir, start } = install()
    const first = start()
    const prod = await addProduction(first)
    await first.dispose()
    editProfiles(dataDir, (p) => (p.id === prod.id ? { ...p, environment: 'development' } : p))

    const next = start()
    const err = fail(await next.invoke('keys.list', { tenant: prod.id, limit: 1 }))
    expect(err.code).toBe('SETTINGS_CHANGED')
    expect(err.message).toMatch(/environment/)
  })

  it('a production tenant downgraded outside KeyDesk still needs its label typed to be removed', async () => {
    const { dataDir, start } = install()
    const first = start()
    const prod = await addProduction(first)
    await first.dispose()
    editProfiles(dataDir, (p) => (p.id === prod.id ? { ...p, environment: 'development' } : p))

    const next = start()
    const refused = fail(await next.invoke('tenants.remove', { tenant: prod.id }))
    expect(refused.code).toBe('VALIDATION')
    expect(refused.fields?.confirmLabel).toMatch(/acme-prod-0/)
    ok(await next.invoke('tenants.remove', { tenant: prod.id, confirmLabel: 'acme-prod-0' }))
  })

  it("a planted profile whose id is a KeyDesk keychain account is never loaded, and KeyDesk's own keys are never sent", async () => {
    const { dataDir, start } = install()
    const first = start()
    const prod = await addProduction(first)
    ok(await first.invoke('keys.listAll', { tenant: prod.id })) // the store is open: its data key exists
    await first.dispose()
    const planted = (id: string): Record<string, unknown> => ({
      id,
      label: `planted ${id}`,
      tenantId: sandbox.tenants[1]!.id,
      baseUrl: elsewhereUrl,
      environment: 'development',
      color: '#2563eb',
      adminKeyPreview: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      embedded: false
    })
    const ids = [LEGACY_STORE_KEY_ACCOUNT, LEGACY_PROBE_ACCOUNT, STORE_KEY_ACCOUNT, tenantAccount(prod.id)]
    editProfiles(dataDir, (p) => p, ids.map(planted))

    const next = start()
    for (const id of ids) expect(fail(await next.invoke('keys.list', { tenant: id, limit: 1 })).code).toBe('NOT_FOUND')
    expect(sent).toEqual([])
    const list = ok<{ tenants: TenantView[]; warnings: string[] }>(await next.invoke('tenants.list', {}))
    expect(list.tenants.map((t) => t.id)).toEqual([prod.id])
    expect(list.warnings.join(' ')).toMatch(/could not be read/)
    ok(await next.invoke('keys.list', { tenant: prod.id, limit: 1 }))
  })

  it('re-entering the admin key confirms settings changed outside KeyDesk and binds them, across a restart', async () => {
    const { dataDir, start } = install()
    const first = start()
    const prod = await addProduction(first)
    await first.dispose()
    // The same sandbox under another name: a change the operator made by hand and means.
    const moved = sandbox.url.replace('127.0.0.1', 'localhost')
    editProfiles(dataDir, (p) => (p.id === prod.id ? { ...p, baseUrl: moved } : p))

    const next = start()
    expect(fail(await next.invoke('keys.list', { tenant: prod.id, limit: 1 })).code).toBe('SETTINGS_CHANGED')
    // A label-only edit does not confirm anything.
    ok(await next.invoke('tenants.update', { tenant: prod.id, label: 'acme-renamed' }))
    expect(fail(await next.invoke('keys.list', { tenant: prod.id, limit: 1 })).code).toBe('SETTINGS_CHANGED')
    ok(await next.invoke('tenants.update', { tenant: prod.id, adminKey: sandbox.tenants[0]!.admin_key }))
    ok(await next.invoke('keys.list', { tenant: prod.id, limit: 1 }))
    await next.dispose()
    ok(await start().invoke('keys.list', { tenant: prod.id, limit: 1 }))
  })

  it('edits made through KeyDesk re-bind: environment, and a base URL that is verified first', async () => {
    const { start } = install()
    const first = start()
    const prod = await addProduction(first)
    ok(await first.invoke('tenants.update', { tenant: prod.id, environment: 'staging', color: '#123456', confirmLabel: prod.label, reason: 'moved' }))
    ok(await first.invoke('keys.list', { tenant: prod.id, limit: 1 }))
    // A base URL where nothing answers: refused on the field, nothing saved or re-bound.
    const refused = fail(await first.invoke('tenants.update', { tenant: prod.id, baseUrl: 'http://127.0.0.1:1' }))
    expect(refused.fields?.baseUrl).toBeDefined()
    ok(await first.invoke('keys.list', { tenant: prod.id, limit: 1 }))
    const moved = sandbox.url.replace('127.0.0.1', 'localhost')
    const updated = ok<TenantView>(await first.invoke('tenants.update', { tenant: prod.id, baseUrl: moved }))
    expect(updated).toMatchObject({ baseUrl: moved, environment: 'staging' })
    ok(await first.invoke('keys.list', { tenant: prod.id, limit: 1 }))
    await first.dispose()
    ok(await start().invoke('keys.list', { tenant: prod.id, limit: 1 }))
  })
})

describe.skipIf(!reachable && !required)('an install from before namespaced keychain accounts', () => {
  const tenants = () =>
    [0, 1].map((i) => ({
      label: `legacy-${i}`,
      tenantId: sandbox.tenants[i]!.id,
      baseUrl: sandbox.url,
      environment: i === 0 ? ('production' as const) : ('staging' as const),
      adminKey: sandbox.tenants[i]!.admin_key,
      storedKeys: [makeKey(`stored-${i}-a`, { name: `legacy-billing-${i}`, tenant_id: sandbox.tenants[i]!.id })]
    }))

  /** `stored`: the keys the old install's store held are still the store's (no sync has run yet). */
  async function expectWorking(core: Core, profiles: TenantProfile[], dataDir: string, stored = true) {
    const list = ok<{ tenants: TenantView[]; activeId: string; warnings: string[] }>(await core.invoke('tenants.list', {}))
    expect(list.tenants.map((t) => t.id)).toEqual(profiles.map((p) => p.id))
    expect(list.activeId).toBe(profiles[0]!.id)
    expect(list.warnings).toEqual([])
    // The store opened with the same data key: what it held is found, and nothing was set aside.
    if (stored) {
      const found = ok<{ hits: { tenant: { id: string }; key: { name: string } }[] }>(await core.invoke('keys.searchAll', { text: 'legacy-billing' }))
      expect(found.hits.map((h) => [h.tenant.id, h.key.name]).sort()).toEqual(profiles.map((p, i) => [p.id, `legacy-billing-${i}`]).sort())
    }
    // Tenant calls reach MeshQu with each tenant's own admin key.
    for (const p of profiles) {
      const { keys } = ok<{ keys: { id: string }[] }>(await core.invoke('keys.listAll', { tenant: p.id }))
      expect(keys.length).toBeGreaterThan(0)
      const found = ok<{ hits: { tenant: { id: string } }[] }>(await core.invoke('keys.searchAll', { text: keys[0]!.id }))
      expect(found.hits.map((h) => h.tenant.id)).toContain(p.id)
    }
    expect(readdirSync(dataDir).filter((f) => f.includes('unreadable'))).toEqual([])
  }

  it('is migrated on first start: tenant calls succeed, the store opens with the same data key, search finds the stored keys', async () => {
    const { keychain, dataDir, start } = install()
    const { profiles, dataKey } = await writeLegacyInstall({ dataDir, keychain, tenants: tenants() })
    const core = start()
    await expectWorking(core, profiles, dataDir)
    // The old items are gone, the new ones hold the same secrets.
    expect(await keychain.get(STORE_KEY_ACCOUNT)).toBe(dataKey.toString('base64'))
    for (const account of [LEGACY_STORE_KEY_ACCOUNT, LEGACY_PROBE_ACCOUNT, ...profiles.map((p) => p.id)])
      expect(await keychain.get(account)).toBeNull()
    for (const [i, p] of profiles.entries()) {
      expect(JSON.parse((await keychain.get(tenantAccount(p.id)))!)).toMatchObject({
        adminKey: sandbox.tenants[i]!.admin_key,
        baseUrl: p.baseUrl,
        tenantId: p.tenantId,
        environment: p.environment
      })
    }
    await core.dispose()
    // Again (idempotent): nothing left to move, everything still works.
    await expectWorking(start(), profiles, dataDir, false)
  })

  it('a migration cut short (new items written, old ones not yet deleted) finishes and still works', async () => {
    const { keychain, dataDir, start } = install()
    const { profiles, dataKey } = await writeLegacyInstall({ dataDir, keychain, tenants: tenants() })
    // As a crash between "write the new item" and "delete the old one" leaves it, for the data
    // key and the first tenant; the second tenant was not reached.
    await keychain.set(STORE_KEY_ACCOUNT, dataKey.toString('base64'))
    await keychain.set(tenantAccount(profiles[0]!.id), encodeAdminKeyRecord(sandbox.tenants[0]!.admin_key, profiles[0]!))
    await expectWorking(start(), profiles, dataDir)
    expect(await keychain.get(LEGACY_STORE_KEY_ACCOUNT)).toBeNull()
    for (const p of profiles) expect(await keychain.get(p.id)).toBeNull()
  })
})

import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { TenantView } from '../../src/shared/tenants'
import { adminKeyIn, putAdminKey } from '../fixtures/admin-keys'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let dataDir: string
const secrets = createMemorySecretStore()

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}
const fail = (r: Reply<unknown>) => {
  if (r.ok) throw new Error('expected a failure')
  return r.error
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 3, quiet: true })
  dataDir = mkdtempSync(join(tmpdir(), 'keydesk-tenants-'))
  core = createCore({ dataDir, secretStore: secrets, logger: silentLogger })
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('tenant profiles through the core', () => {
  let prod: TenantView
  it('adds a production tenant: key in the keychain, profile file without it, first tenant active', async () => {
    const t = sandbox.tenants[0]!
    prod = ok<TenantView>(
      await core.invoke('tenants.add', {
        label: 'acme-prod',
        tenantId: t.id,
        baseUrl: `${sandbox.url}/`,
        environment: 'production',
        // Protected: later tests write to it (read-only tenants are protection-levels.test.ts's).
        level: 'protected',
        adminKey: t.admin_key
      })
    )
    expect(prod).toMatchObject({ environment: 'production', color: '#d32f2f', status: 'online', baseUrl: sandbox.url })
    expect(await adminKeyIn(secrets, prod.id)).toBe(t.admin_key)
    const file = readFileSync(join(dataDir, 'profiles.json'), 'utf8')
    expect(file).not.toContain(t.admin_key)
    expect(file).toContain(prod.adminKeyPreview!)
    const list = ok<{ tenants: TenantView[]; activeId: string }>(await core.invoke('tenants.list', {}))
    expect(list.activeId).toBe(prod.id)
  })

  it('saves an unverified profile only when asked to, and marks it unknown', async () => {
    const t = sandbox.tenants[1]!
    const staged = ok<TenantView>(
      await core.invoke('tenants.add', {
        label: 'acme-staging',
        tenantId: t.id,
        baseUrl: 'https://127.0.0.1:9',
        environment: 'staging',
        adminKey: t.admin_key,
        skipVerify: true
      })
    )
    expect(staged.status).toBe('unknown')
    ok(await core.invoke('tenants.activate', { tenant: staged.id }))
    expect(ok<{ activeId: string }>(await core.invoke('tenants.list', {})).activeId).toBe(staged.id)
    // The unreachable host marks it offline after a call.
    const err = fail(await core.invoke('keys.list', { tenant: staged.id, limit: 1 }))
    expect(['OFFLINE', 'TIMEOUT', 'UPSTREAM']).toContain(err.code)
    ok(await core.invoke('tenants.remove', { tenant: staged.id }))
    expect(await adminKeyIn(secrets, staged.id)).toBeNull()
  })

  it('renames and recolors without touching the key; a replacement key is verified first', async () => {
    const renamed = ok<TenantView>(await core.invoke('tenants.update', { tenant: prod.id, label: 'acme-production', color: '#aa0000' }))
    expect(renamed).toMatchObject({ label: 'acme-production', color: '#aa0000' })
    const wrong = fail(await core.invoke('tenants.update', { tenant: prod.id, adminKey: sandbox.tenants[1]!.admin_key }))
    expect(wrong.code).toBe('FORBIDDEN')
    expect(await adminKeyIn(secrets, prod.id)).toBe(sandbox.tenants[0]!.admin_key)
    // Still works with the old key.
    ok(await core.invoke('keys.list', { tenant: prod.id, limit: 1 }))
  })

  it('refuses a label another tenant already uses, in any case, on the label field', async () => {
    const t = sandbox.tenants[1]!
    const dup = fail(
      await core.invoke('tenants.add', {
        label: 'ACME-Production',
        tenantId: t.id,
        baseUrl: sandbox.url,
        environment: 'staging',
        adminKey: t.admin_key
      })
    )
    expect(dup.code).toBe('VALIDATION')
    expect(dup.fields?.label).toBeDefined()
    const other = ok<TenantView>(
      await core.invoke('tenants.add', { label: 'acme-other', tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
    )
    const renamed = fail(await core.invoke('tenants.update', { tenant: other.id, label: 'acme-PRODUCTION' }))
    expect(renamed.code).toBe('VALIDATION')
    expect(renamed.fields?.label).toBeDefined()
    // Its own label in another case is not a clash.
    ok(await core.invoke('tenants.update', { tenant: other.id, label: 'ACME-other' }))
    ok(await core.invoke('tenants.remove', { tenant: other.id }))
  })

  it('adopts a just-created key as the admin key from its reveal slot, verified, without the plaintext leaving main', async () => {
    const created = ok<{ key: { id: string }; revealId: string }>(
      await core.invoke('keys.create', {
        tenant: prod.id,
        key: { name: 'keydesk-admin-next', scopes: ['api-keys:admin'] },
        // api-keys:admin is forbidden in production by default, KeyDesk's own admin key aside; this one is not yet.
        waiver: { reason: 'the next admin key of KeyDesk', until: Date.now() + 86_400_000 }
      })
    )
    const plaintext = ok<{ plaintext: string }>(await core.invoke('secrets.reveal', { revealId: created.revealId })).plaintext
    ok(await core.invoke('tenants.update', { tenant: prod.id, adminKeyRevealId: created.revealId }))
    expect(await adminKeyIn(secrets, prod.id)).toBe(plaintext)
    ok(await core.invoke('keys.list', { tenant: prod.id, limit: 1 }))
    // Put the original back for the tests that follow.
    await putAdminKey(secrets, prod, sandbox.tenants[0]!.admin_key)
  })

  it('marks a tenant auth-failed when MeshQu stops accepting its key', async () => {
    await putAdminKey(secrets, prod, 'mqu_test_...revoked-or-wrong')
    const other = createCore({ dataDir, secretStore: secrets, logger: silentLogger })
    const err = fail(await other.invoke('keys.list', { tenant: prod.id, limit: 1 }))
    expect(err.code).toBe('UNAUTHORIZED')
    const list = ok<{ tenants: TenantView[] }>(await other.invoke('tenants.list', {}))
    expect(list.tenants.find((t) => t.id === prod.id)?.status).toBe('auth-failed')
    await other.dispose()
    await putAdminKey(secrets, prod, sandbox.tenants[0]!.admin_key)
  })

  it('removing a production tenant needs its label typed back', async () => {
    const refused = fail(await core.invoke('tenants.remove', { tenant: prod.id }))
    expect(refused.code).toBe('VALIDATION')
    expect(refused.fields?.confirmLabel).toMatch(/acme-production/)
    ok(await core.invoke('tenants.remove', { tenant: prod.id, confirmLabel: 'acme-production' }))
    expect(await adminKeyIn(secrets, prod.id)).toBeNull()
    expect(ok<{ tenants: TenantView[]; activeId: string | null }>(await core.invoke('tenants.list', {}))).toMatchObject({
      tenants: [],
      activeId: null
    })
    expect(fail(await core.invoke('keys.list', { tenant: prod.id })).code).toBe('NOT_FOUND')
  })
})

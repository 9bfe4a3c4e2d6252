import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import type { Reply } from '../../src/shared/envelope'
import type { ChannelOutput } from '../../src/shared/contract'
import type { ApiKey } from '../../src/shared/meshqu'
import type { NotificationAction } from '../../src/shared/radar'

// Changes made outside KeyDesk, end to end in main: a real sandbox over HTTP, changed both through
// KeyDesk and straight through its API with another admin key (as a console or a script would),
// a real core with its store on its own thread, and the notifications the core raises.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
let core: Core
let tenant: string
/** An admin key KeyDesk does not hold: "the ops console". */
let consoleKey: string
let consoleKeyId: string
const notified: { title: string; body: string; action: NotificationAction | undefined }[] = []
const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-outside-'))

const ok = <T>(r: Reply<unknown>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`)
  return r.data as T
}

/** MeshQu's API straight, not through KeyDesk. */
async function meshqu(method: string, path: string, key: string, body?: unknown) {
  const t = sandbox.tenants[0]!
  const res = await fetch(`${sandbox.url}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'x-meshqu-tenant-id': t.id, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {})
  })
  expect(res.status).toBeLessThan(300)
  return (await res.json()) as { key: ApiKey; plaintext_key?: string }
}
const createOutside = (name: string) => meshqu('POST', '/api-keys', consoleKey, { name, scopes: ['decisions:evaluate'] })
const revokeOutside = (id: string) => meshqu('DELETE', `/api-keys/${id}`, consoleKey)

const sync = async () => ok<ChannelOutput<'keys.listAll'>>(await core.invoke('keys.listAll', { tenant }))
const summary = async () => ok<ChannelOutput<'radar.summary'>>(await core.invoke('radar.summary', {}))
const counts = async () => {
  const c = (await summary()).tenants[0]!.counts
  return { created: c['created-outside'], revoked: c['revoked-outside'] }
}
const drill = async (category: 'created-outside' | 'revoked-outside') =>
  ok<ChannelOutput<'radar.keys'>>(await core.invoke('radar.keys', { category })).items

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 1, seedKeys: 3, quiet: true })
  core = createCore({
    dataDir,
    secretStore: createMemorySecretStore(),
    logger: silentLogger,
    expiryCheckEveryMs: false,
    operator: () => 'alice',
    notifier: { notify: (title, body, o) => void notified.push({ title, body, action: o?.action }) }
  })
  const t = sandbox.tenants[0]!
  tenant = ok<{ id: string }>(
    await core.invoke('tenants.add', {
      label: 'acme-prod',
      tenantId: t.id,
      baseUrl: sandbox.url,
      environment: 'production',
      level: 'protected',
      adminKey: t.admin_key
    })
  ).id
  const made = await meshqu('POST', '/api-keys', t.admin_key, { name: 'ops-console', scopes: ['api-keys:admin'] })
  consoleKey = made.plaintext_key!
  consoleKeyId = made.key.id
})
afterAll(async () => {
  await core?.dispose()
  await sandbox?.close()
})

describe('changes made outside KeyDesk', () => {
  it('the first sync of a tenant is the baseline: keys made before it raise nothing', async () => {
    await createOutside('made-before-keydesk-looked')
    await sync()
    expect(await counts()).toEqual({ created: 0, revoked: 0 })
    expect(notified).toEqual([])
  })

  it("a key created straight on MeshQu's API is flagged at the next sync, with created_by; one notification per tenant", async () => {
    const a = (await createOutside('script-made-a')).key
    const b = (await createOutside('script-made-b')).key
    // Not flagged until a sync lists it.
    expect((await counts()).created).toBe(0)
    await sync()
    expect(await counts()).toEqual({ created: 2, revoked: 0 })
    const items = await drill('created-outside')
    expect(items.map((i) => i.key!.name).sort()).toEqual(['script-made-a', 'script-made-b'])
    const itemA = items.find((i) => i.keyId === a.id)!
    expect(itemA.findings).toContain('created-outside')
    expect(itemA.outside).toEqual([
      expect.objectContaining({ kind: 'created', actor: consoleKeyId, actorName: 'ops-console', changedAt: a.created_at })
    ])
    expect(notified).toEqual([
      {
        title: '2 keys created outside KeyDesk in acme-prod',
        body: 'Created by ops-console: script-made-a, script-made-b.',
        action: { kind: 'radar', category: 'created-outside', tenant }
      }
    ])
    // The sidebar badge counts them.
    expect((await summary()).tenants[0]!.findings).toBeGreaterThanOrEqual(2)
    // A sync that finds nothing new tells nothing again.
    await sync()
    expect(notified).toHaveLength(1)
    expect(b.id).toBeTruthy()
  })

  it('a key created and one revoked in KeyDesk are not flagged', async () => {
    const made = ok<ChannelOutput<'keys.create'>>(
      await core.invoke('keys.create', {
        tenant,
        // Within production's default policy (an expiry within 90 days).
        key: { name: 'made-in-keydesk', scopes: ['decisions:evaluate'], expires_at: new Date(Date.now() + 30 * 86_400_000).toISOString() }
      })
    )
    const before = await counts()
    await sync()
    expect(await counts()).toEqual(before)
    ok(await core.invoke('keys.revoke', { tenant, id: made.key.id, reason: 'done with it' }))
    await sync()
    expect(await counts()).toEqual(before)
    expect((await drill('created-outside')).map((i) => i.key!.name)).not.toContain('made-in-keydesk')
    expect(notified).toHaveLength(1)
  })

  it('a key revoked outside KeyDesk is flagged with revoked_by', async () => {
    const listed = await sync()
    const victim = listed.keys.find((k) => k.name === 'made-before-keydesk-looked')!
    await revokeOutside(victim.id)
    await sync()
    expect((await counts()).revoked).toBe(1)
    const [item] = await drill('revoked-outside')
    expect(item).toMatchObject({
      keyId: victim.id,
      outside: [expect.objectContaining({ kind: 'revoked', actor: consoleKeyId, actorName: 'ops-console' })]
    })
    expect(notified.at(-1)).toMatchObject({
      title: '1 key revoked outside KeyDesk in acme-prod',
      action: { kind: 'radar', category: 'revoked-outside', tenant }
    })
  })

  it('an acknowledgement needs a reason, removes the finding and is journaled with who and why', async () => {
    const [item] = await drill('revoked-outside')
    const blank = await core.invoke('radar.acknowledge', { tenant, keyId: item!.keyId, kind: 'revoked', reason: '   ' })
    expect(blank).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { reason: 'Say why this change is expected' } } })
    expect((await counts()).revoked).toBe(1)

    const r = ok<ChannelOutput<'radar.acknowledge'>>(
      await core.invoke('radar.acknowledge', { tenant, keyId: item!.keyId, kind: 'revoked', reason: 'Ops rotated it by hand (ticket 42)' })
    )
    expect(r).toEqual({ acknowledged: true })
    expect((await counts()).revoked).toBe(0)
    const journal = ok<ChannelOutput<'journal.list'>>(await core.invoke('journal.list', { tenant, actions: ['outside.ack'] }))
    expect(journal.entries).toEqual([
      expect.objectContaining({
        action: 'outside.ack',
        outcome: 'ok',
        keyId: item!.keyId,
        keyName: 'made-before-keydesk-looked',
        reason: 'Ops rotated it by hand (ticket 42)',
        detail: `Revoked outside KeyDesk by ops-console (${consoleKeyId}); acknowledged by alice.`
      })
    ])
    // Once only; and the next sync does not raise it again.
    expect(ok(await core.invoke('radar.acknowledge', { tenant, keyId: item!.keyId, kind: 'revoked', reason: 'again' }))).toEqual({
      acknowledged: false
    })
    await sync()
    expect((await counts()).revoked).toBe(0)
    expect(ok<ChannelOutput<'journal.verify'>>(await core.invoke('journal.verify', {})).intact).toBe(true)
  })

  it('a created key revoked from KeyDesk leaves the radar (its revoke is journaled, not flagged)', async () => {
    const [item] = await drill('created-outside')
    ok(await core.invoke('keys.revoke', { tenant, id: item!.keyId, reason: 'not ours' }))
    expect((await drill('created-outside')).map((i) => i.keyId)).not.toContain(item!.keyId)
    await sync()
    expect(await counts()).toEqual({ created: 1, revoked: 0 })
  })

  it('a key created and revoked between two syncs is both; removing the tenant clears its findings', async () => {
    const k = (await createOutside('short-lived')).key
    await revokeOutside(k.id)
    await sync()
    // The created finding counts live keys only: the revoke is what is left to see.
    expect(await counts()).toEqual({ created: 1, revoked: 1 })
    expect(notified.at(-1)!.title).toBe('1 key revoked outside KeyDesk in acme-prod')
    ok(await core.invoke('tenants.remove', { tenant, confirmLabel: 'acme-prod' }))
    expect((await summary()).tenants).toEqual([])
  })
})

import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { createCore, type Core, type CoreOptions } from '../../src/main/core'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { silentLogger } from '../../src/main/core/log'
import { createKeytarSecretStore } from '../../src/main/core/tenants/keytar-store'
import type { ApiKey } from '../../src/shared/meshqu'
import type { Campaign, CampaignKey } from '../../src/shared/campaigns'
import type { JournalEntry } from '../../src/shared/journal'
import { detail, ok, service, until, untilKeys } from '../fixtures/campaign'

type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
const secrets = createMemorySecretStore()
const cores: Core[] = []
/** Quiet window, deadline and the granularity of last use, in real milliseconds (the sandbox's clock is real). */
const W = 1500
const G = 100
const CHECK = 300
const DEADLINE = 6000

function core(dataDir: string, extra: Partial<CoreOptions> = {}): Core {
  const c = createCore({
    dataDir,
    secretStore: secrets,
    logger: silentLogger,
    timeoutMs: 3000,
    campaigns: { tickMs: 40, granularityMs: G, checkEveryMs: CHECK, ...extra.campaigns },
    ...extra
  })
  cores.push(c)
  return c
}

async function addTenant(c: Core, i: number): Promise<{ profile: string; tenantId: string }> {
  const t = sandbox.tenants[i]!
  const profile = ok<{ id: string }>(
    await c.invoke('tenants.add', { label: `camp-${i}`, tenantId: t.id, baseUrl: sandbox.url, environment: 'staging', adminKey: t.admin_key })
  ).id
  return { profile, tenantId: t.id }
}

/** A key made through KeyDesk, with its plaintext (for the simulated service that uses it). */
async function makeKey(c: Core, tenant: string, name: string): Promise<{ key: ApiKey; plaintext: string }> {
  const made = ok<{ key: ApiKey; revealId: string }>(
    await c.invoke('keys.create', { tenant, key: { name, scopes: ['decisions:evaluate'], expires_at: null } })
  )
  const { plaintext } = ok<{ plaintext: string }>(await c.invoke('secrets.reveal', { revealId: made.revealId }))
  ok(await c.invoke('secrets.discard', { revealId: made.revealId }))
  return { key: made.key, plaintext }
}

const keyNow = async (c: Core, tenant: string, id: string) => ok<ApiKey>(await c.invoke('keys.get', { tenant, id }))

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 4, seedKeys: 1, radarShowcase: false, quiet: true })
})
afterAll(async () => {
  for (const c of cores) await c.dispose().catch(() => {})
  await sandbox?.close()
})

describe('rotation campaigns against the sandbox', () => {
  it("a key's last_used_at moves when a request authenticates with it (the evidence the campaign watches)", async () => {
    const c = core(mkdtempSync(join(tmpdir(), 'keydesk-campaign-')))
    const { profile } = await addTenant(c, 0)
    const { key, plaintext } = await makeKey(c, profile, 'evidence-probe')
    expect(key.last_used_at).toBeNull()
    const svc = service(sandbox.url, sandbox.tenants[0]!.id, plaintext)
    const used = await until(async () => (await keyNow(c, profile, key.id)).last_used_at ?? undefined)
    svc.stop()
    expect(Date.now() - Date.parse(used)).toBeLessThan(5000)
  })

  it('moves to the new key → old revoked within one check after W; keeps the old key → held still in use; replacement unused → held', async () => {
    const c = core(mkdtempSync(join(tmpdir(), 'keydesk-campaign-')))
    const { profile, tenantId } = await addTenant(c, 1)
    const movers = await makeKey(c, profile, 'billing-mover')
    const stayer = await makeKey(c, profile, 'ledger-stayer')
    const idle = await makeKey(c, profile, 'reports-idle')
    ok(await c.invoke('keys.listAll', { tenant: profile }))
    const moverSvc = service(sandbox.url, tenantId, movers.plaintext)
    const stayerSvc = service(sandbox.url, tenantId, stayer.plaintext)
    try {
      // Both services are at work before the campaign starts.
      for (const k of [movers, stayer]) await until(async () => (await keyNow(c, profile, k.key.id)).last_used_at ?? undefined)
      const started = ok<{ campaign: Campaign; skipped: unknown[] }>(
        await c.invoke('campaigns.start', {
          keys: [movers, stayer, idle].map((k) => ({ tenant: profile, keyId: k.key.id })),
          quietWindowMs: W,
          deadlineMs: DEADLINE,
          pacingShare: 0.5,
          reason: 'quarterly rotation'
        })
      )
      const id = started.campaign.id
      expect(started.skipped).toEqual([])
      const created = await untilKeys(c, id, (k) => k.state === 'created' && k.revealId !== null)
      // each replacement holds its old key's scopes and the pattern's name
      for (const k of created.keys) {
        const fresh = await keyNow(c, profile, k.newKeyId!)
        expect(fresh.scopes).toEqual(['decisions:evaluate'])
        expect(fresh.name).toBe(`${k.oldName}-${new Date().toISOString().slice(0, 10)}`)
      }
      const byName = (n: string) => created.keys.find((k) => k.oldName === n)!
      // The hand-over: the mover's service switches, the stayer's never does, the idle key's replacement is stored but unused.
      for (const k of created.keys) {
        const { plaintext } = ok<{ plaintext: string }>(await c.invoke('secrets.reveal', { revealId: k.revealId! }))
        if (k.oldName === 'billing-mover') moverSvc.use(plaintext)
        const handed = ok<CampaignKey>(await c.invoke('campaigns.handOver', { campaignId: id, keyRowId: k.id }))
        expect(handed.state).toBe('waiting')
        expect(handed.revealId).toBeNull()
      }
      const switchedAt = Date.now()
      const mover = await until(async () => {
        const k = (await detail(c, id)).keys.find((x) => x.id === byName('billing-mover').id)!
        return k.state === 'revoked' ? k : undefined
      })
      const oldAfter = await keyNow(c, profile, movers.key.id)
      expect(oldAfter.revoked_at).not.toBeNull()
      // revoked once the old key had been quiet for W, and within one check after that
      const lastOldUse = Date.parse(oldAfter.last_used_at!)
      const revokedAt = Date.parse(oldAfter.revoked_at!)
      expect(revokedAt - lastOldUse).toBeGreaterThanOrEqual(W)
      expect(revokedAt - lastOldUse).toBeLessThanOrEqual(W + G + CHECK + 400)
      expect(lastOldUse).toBeLessThan(switchedAt + 500)
      expect(mover.evidence).toMatch(/^old key last used \d+ s ago; new key first used \d+ s ago$/)

      const final = await untilKeys(c, id, (k) => k.state === 'revoked' || k.state === 'held', DEADLINE + 5000)
      const stayerRow = final.keys.find((k) => k.oldName === 'ledger-stayer')!
      const idleRow = final.keys.find((k) => k.oldName === 'reports-idle')!
      expect(stayerRow).toMatchObject({ state: 'held', heldReason: 'still-in-use' })
      expect(stayerRow.oldUsesSeen).toBeGreaterThan(0)
      expect(idleRow).toMatchObject({ state: 'held', heldReason: 'replacement-unused' })
      expect((await keyNow(c, profile, stayer.key.id)).revoked_at).toBeNull()
      expect((await keyNow(c, profile, idle.key.id)).revoked_at).toBeNull()

      const journal = ok<{ entries: JournalEntry[] }>(
        await c.invoke('journal.list', { tenant: profile, actions: ['campaign.revoke', 'campaign.hold'] })
      ).entries
      const revokeEntry = journal.find((e) => e.action === 'campaign.revoke')!
      expect(revokeEntry).toMatchObject({ keyId: movers.key.id, outcome: 'ok', reason: 'quarterly rotation' })
      expect(revokeEntry.detail).toContain(`Campaign ${id}: old key last used`)
      expect(
        journal
          .filter((e) => e.action === 'campaign.hold')
          .map((e) => e.keyId)
          .sort()
      ).toEqual([stayer.key.id, idle.key.id].sort())

      // Extend puts a held key back under watch; Revoke anyway needs the typed name and revokes through the one routine.
      const extended = ok<CampaignKey>(await c.invoke('campaigns.extend', { campaignId: id, keyRowId: idleRow.id, byMs: 60_000 }))
      expect(extended.state).toBe('waiting')
      const wrong = await c.invoke('campaigns.revokeAnyway', { campaignId: id, keyRowId: stayerRow.id, confirm: 'nope', reason: 'moving on' })
      expect(wrong.ok === false && wrong.error.code).toBe('VALIDATION')
      const anyway = ok<CampaignKey>(
        await c.invoke('campaigns.revokeAnyway', { campaignId: id, keyRowId: stayerRow.id, confirm: 'ledger-stayer', reason: 'moving on' })
      )
      expect(anyway.state).toBe('revoked')
      expect((await keyNow(c, profile, stayer.key.id)).revoked_at).not.toBeNull()
    } finally {
      moverSvc.stop()
      stayerSvc.stop()
    }
  }, 40_000)
})

describe('a campaign cut short mid-step resumes with no duplicate', () => {
  it('a crash after the create (answer not recorded) adopts the key instead of creating a second; a crash after the revoke does not revoke again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-campaign-crash-'))
    const crashAt = (step: 'created' | 'revoked') => () => (s: string) => {
      if (s === step) throw new Error(`simulated crash after ${step}`)
    }
    const writes: { method: string; path: string }[] = []
    const counting: typeof fetch = (input, init) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input.toString() : input.url)
      if (init?.method === 'POST' || init?.method === 'DELETE') writes.push({ method: init.method, path: url.pathname })
      return fetch(input, init)
    }
    const first = core(dataDir, { campaigns: { tickMs: 40, granularityMs: G, checkEveryMs: CHECK, leaseMs: 300, afterWrite: crashAt('created')() } })
    const { profile, tenantId } = await addTenant(first, 2)
    const old = await makeKey(first, profile, 'search-indexer')
    ok(await first.invoke('keys.listAll', { tenant: profile }))
    const svc = service(sandbox.url, tenantId, old.plaintext)
    try {
      await until(async () => (await keyNow(first, profile, old.key.id)).last_used_at ?? undefined)
      const { campaign } = ok<{ campaign: Campaign }>(
        await first.invoke('campaigns.start', {
          keys: [{ tenant: profile, keyId: old.key.id }],
          quietWindowMs: W,
          deadlineMs: 30_000,
          pacingShare: 0.5
        })
      )
      const replacement = `search-indexer-${new Date().toISOString().slice(0, 10)}`
      const named = async (c: Core) =>
        ok<{ keys: ApiKey[] }>(await c.invoke('keys.listAll', { tenant: profile })).keys.filter(
          (k) => k.name === replacement && k.revoked_at === null
        )
      // The create went out and MeshQu made the key; the process "died" before recording it.
      await until(async () => ((await named(first)).length === 1 ? true : undefined))
      expect((await detail(first, campaign.id)).keys[0]!.state).toBe('creating')
      await first.dispose()

      // A new KeyDesk on the same data dir: the lease runs out, the key is found by name, adopted.
      const second = core(dataDir, {
        fetch: counting,
        campaigns: { tickMs: 40, granularityMs: G, checkEveryMs: CHECK, leaseMs: 300, afterWrite: crashAt('revoked')() }
      })
      const adopted = await untilKeys(second, campaign.id, (k) => k.state === 'created')
      expect(adopted.keys[0]!.revealId).toBeNull()
      expect(adopted.campaign.notHandedOver).toBe(1)
      expect(writes.filter((w) => w.method === 'POST')).toEqual([])
      expect(await named(second)).toHaveLength(1)

      // Its plaintext is gone: created again, the orphan (never used, never shown) revoked first.
      const orphan = adopted.keys[0]!.newKeyId!
      expect(ok<{ planned: number }>(await second.invoke('campaigns.recreate', { campaignId: campaign.id })).planned).toBe(1)
      const again = await untilKeys(second, campaign.id, (k) => k.state === 'created' && k.revealId !== null)
      expect(again.keys[0]!.newKeyId).not.toBe(orphan)
      expect((await keyNow(second, profile, orphan)).revoked_at).not.toBeNull()
      const live = await named(second)
      expect(live.map((k) => k.id)).toEqual([again.keys[0]!.newKeyId])

      // Hand over; the service switches; the revoke goes out and the process "dies" before recording it.
      const { plaintext } = ok<{ plaintext: string }>(await second.invoke('secrets.reveal', { revealId: again.keys[0]!.revealId! }))
      ok(await second.invoke('campaigns.handOver', { campaignId: campaign.id, keyRowId: again.keys[0]!.id }))
      svc.use(plaintext)
      await until(async () => ((await keyNow(second, profile, old.key.id)).revoked_at ? true : undefined))
      expect((await detail(second, campaign.id)).keys[0]!.state).toBe('revoking')
      await second.dispose()
      const deletesBefore = writes.filter((w) => w.method === 'DELETE' && w.path.endsWith(old.key.id)).length
      expect(deletesBefore).toBe(1)

      const third = core(dataDir, { fetch: counting, campaigns: { tickMs: 40, granularityMs: G, checkEveryMs: CHECK, leaseMs: 300 } })
      await untilKeys(third, campaign.id, (k) => k.state === 'revoked')
      await until(async () => ((await detail(third, campaign.id)).campaign.state === 'done' ? true : undefined))
      expect(writes.filter((w) => w.method === 'DELETE' && w.path.endsWith(old.key.id))).toHaveLength(1)
    } finally {
      svc.stop()
    }
  }, 40_000)
})

// The real OS keychain, shared by the child and the parent as by two runs of the app.
const keychainReachable = process.platform !== 'linux' || !!process.env.DBUS_SESSION_BUS_ADDRESS
describe.skipIf(!keychainReachable && process.env.KEYDESK_REQUIRE_KEYCHAIN !== '1')('kill -9 mid-campaign', () => {
  it('a KeyDesk killed between a create and its record: the next start adopts the key, no second replacement', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-campaign-kill-'))
    const keychain = `keydesk-campaign-test-${randomUUID()}`
    const setup = core(dataDir, { secretStore: createKeytarSecretStore(keychain) })
    const { profile } = await addTenant(setup, 3)
    const old = await makeKey(setup, profile, 'fraud-scorer')
    ok(await setup.invoke('keys.listAll', { tenant: profile }))
    await setup.dispose()

    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../fixtures/campaign-child.mts')], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        KEYCHAIN_SERVICE: keychain,
        START: JSON.stringify({ keys: [{ tenant: profile, keyId: old.key.id }], quietWindowMs: W, deadlineMs: 30_000, pacingShare: 0.5 })
      },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let out = ''
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()))
    await until(async () => (out.includes('created') ? true : out.includes('failed') ? Promise.reject(new Error(out)) : undefined), 30_000)
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited

    const posts: string[] = []
    const counting: typeof fetch = (input, init) => {
      if (init?.method === 'POST') posts.push(String(input))
      return fetch(input, init)
    }
    const next = core(dataDir, {
      secretStore: createKeytarSecretStore(keychain),
      fetch: counting,
      campaigns: { tickMs: 40, granularityMs: G, checkEveryMs: CHECK, leaseMs: 500 }
    })
    const campaigns = ok<{ campaigns: Campaign[] }>(await next.invoke('campaigns.list', undefined)).campaigns
    expect(campaigns).toHaveLength(1)
    const adopted = await untilKeys(next, campaigns[0]!.id, (k) => k.state === 'created')
    expect(adopted.campaign.notHandedOver).toBe(1)
    expect(posts).toEqual([])
    const replacement = `fraud-scorer-${new Date().toISOString().slice(0, 10)}`
    const named = ok<{ keys: ApiKey[] }>(await next.invoke('keys.listAll', { tenant: profile })).keys.filter((k) => k.name === replacement)
    expect(named.map((k) => k.id)).toEqual([adopted.keys[0]!.newKeyId])
  }, 60_000)
})

import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { silentLogger } from '../../src/main/core/log'
import { createBulkRevoker } from '../../src/main/core/jobs/bulk-revoke'
import { createJournal } from '../../src/main/core/journal/journal'
import { createKeyRevoker } from '../../src/main/core/writes/revoke-key'
import { createHeadroomAlerts } from '../../src/main/core/ratelimit/alerts'
import { createScheduler } from '../../src/main/core/ratelimit/scheduler'
import { createRateLimitTracker } from '../../src/main/core/ratelimit/tracker'
import { createRevealSlots } from '../../src/main/core/secrets/reveal-slots'
import { createFleetStore } from '../../src/main/core/store/fleet-store'
import { createMemorySecretStore } from '../../src/main/core/tenants/memory-store'
import { createProfileStore } from '../../src/main/core/tenants/profile-store'
import { createTenantRemoval } from '../../src/main/core/tenants/remove-tenant'
import { createTenantSessions } from '../../src/main/core/tenants/sessions'
import { createAdminKeys } from '../../src/main/core/tenants/admin-keys'
import { tenantAccount } from '../../src/main/core/tenants/keychain-accounts'
import { createTenantStatus } from '../../src/main/core/tenants/status'
import { createUnlocks } from '../../src/main/core/tenants/unlocks'
import type { TenantProfile } from '../../src/shared/tenants'

// Issue 13: removing a tenant clears every place main keeps something of it. Each holding is
// filled for two tenants through its real code (a real sandbox answers the calls), one tenant is
// removed, and each holding is asked about both.
type Sandbox = Awaited<ReturnType<typeof startSandbox>>
let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, tenants: 2, seedKeys: 5, quiet: true })
})
afterAll(async () => {
  await sandbox?.close()
})

function holdings() {
  const dataDir = mkdtempSync(join(tmpdir(), 'keydesk-remove-'))
  const now = Date.now
  const profiles = createProfileStore(dataDir, silentLogger, now)
  const secrets = createMemorySecretStore()
  const adminKeys = createAdminKeys(secrets)
  const tracker = createRateLimitTracker()
  const scheduler = createScheduler({ tracker, now })
  const sessions = createTenantSessions({ profiles, adminKeys, tracker, scheduler, now, timeoutMs: 5000 })
  const status = createTenantStatus()
  const key = randomBytes(32)
  const store = createFleetStore({ path: join(dataDir, 'keydesk.db'), dataKey: async () => key, log: silentLogger, now })
  const journal = createJournal({ store, profiles, log: silentLogger, now })
  const revoke = createKeyRevoker({ sessions, store, journal, profiles, log: silentLogger, now })
  const bulk = createBulkRevoker({ sessions, scheduler, revoke })
  const slots = createRevealSlots({ now })
  const notes: string[] = []
  const alerts = createHeadroomAlerts({ notifier: { notify: (t) => void notes.push(t) }, threshold: () => 1.01, labelOf: async () => 'x' })
  const unlocks = createUnlocks({ journal, log: silentLogger, now })
  return { profiles, secrets, adminKeys, tracker, scheduler, sessions, status, store, bulk, slots, alerts, unlocks }
}

async function fill(h: ReturnType<typeof holdings>, i: number): Promise<string> {
  const t = sandbox.tenants[i]!
  const profile: TenantProfile = {
    id: randomUUID(),
    label: `${t.name}-${i}`,
    tenantId: t.id,
    baseUrl: sandbox.url,
    environment: 'sandbox',
    color: '#14b8a6',
    adminKeyPreview: 'mqu_test_...xxxx',
    createdAt: new Date().toISOString(),
    embedded: false
  }
  await h.adminKeys.bind(profile, t.admin_key)
  await h.profiles.put(profile)
  const { client } = await h.sessions.open(profile.id) // holds the admin key and a client
  const listed = await client.listKeys({ limit: 100 }) // a rate-limit reading
  h.alerts.check(profile.id, listed.rateLimit!) // threshold above 1: always alerts
  h.status.record(profile.id, null)
  await h.store.syncKeys(profile.id, listed.data.data, Date.now())
  await h.store.rotations.add({ tenant: profile.id, oldKeyId: listed.data.data[0]!.id, newKeyId: 'n', rotatedAt: Date.now() })
  h.slots.put(`mqu_test_${'P'.repeat(28)}${i}abc`, profile.id)
  await h.unlocks.start(profile.id, profile.label, 'test', 5)
  const job = await h.bulk.start(profile.id, ['no-such-key'])
  await h.bulk.settled(job.jobId)
  h.scheduler.rateLimited(profile.id, 1) // pacing state: a short 429 hold (last, so nothing above waits it out)
  return profile.id
}

async function holdsAnything(h: ReturnType<typeof holdings>, id: string) {
  return {
    keychain: (await h.secrets.get(tenantAccount(id))) !== null,
    profile: (await h.profiles.get(id)) !== undefined,
    storeKeys: (await h.store.keysOf(id)) !== null,
    storeRotations: (await h.store.rotations.list(id)).length > 0,
    storeCounts: (await h.store.counts(Date.now())).some((c) => c.tenant === id),
    session: h.sessions.holds(id),
    tracker: h.tracker.forTenant(id) !== undefined || h.tracker.history(id, Date.now()).length > 0,
    scheduler: h.scheduler.knows(id),
    status: h.status.get(id) !== 'unknown',
    bulkJobs: h.bulk.jobsOf(id).length > 0,
    revealSlots: h.slots.countFor(id) > 0,
    alerts: h.alerts.alerted(id),
    unlock: (await h.unlocks.active(id)) !== null
  }
}

describe('removing a tenant', () => {
  it('leaves nothing of it in any store, and everything of the other tenant', async () => {
    const h = holdings()
    const gone = await fill(h, 0)
    const kept = await fill(h, 1)
    const everything = await holdsAnything(h, gone)
    // The fill really reached every holding, or the check below would prove nothing.
    expect(Object.entries(everything).filter(([, held]) => !held)).toEqual([])

    await createTenantRemoval(h)(gone)

    expect(await holdsAnything(h, gone)).toEqual(Object.fromEntries(Object.keys(everything).map((k) => [k, false])))
    expect(await holdsAnything(h, kept)).toEqual(everything)
    await h.unlocks.dispose()
    h.store.close()
    await h.slots.dispose()
  })
})

import { mkdir } from 'node:fs/promises'
import type { Reply } from '../../shared/envelope'
import type { TenantProfile } from '../../shared/tenants'
import { createLogger, type Logger } from './log'
import type { ClipboardPort, FileSaverPort, NotifierPort, ScanPickerPort } from './ports'
import { createRateLimitTracker } from './ratelimit/tracker'
import { createScheduler } from './ratelimit/scheduler'
import { createRouter, type Handlers } from './router'
import { createRevealSlots } from './secrets/reveal-slots'
import { createProfileStore } from './tenants/profile-store'
import type { SecretStore } from './tenants/secret-store'
import { createTenantSessions } from './tenants/sessions'
import { createVerifications } from './tenants/verifications'
import { createTenantStatus } from './tenants/status'
import { createTenantRemoval } from './tenants/remove-tenant'
import { withKeychainMigration } from './tenants/keychain-migration'
import { createAdminKeys } from './tenants/admin-keys'
import { createUnlocks } from './tenants/unlocks'
import { createWriteGuard } from './tenants/write-guard'
import { unlockHandlers } from './handlers/unlocks'
import { keyHandlers } from './handlers/keys'
import { tenantHandlers } from './handlers/tenants'
import { createEmbeddedSandbox, type StartSandbox } from './sandbox/embedded'
import { createDataKeyProvider } from './store/data-key'
import { createFleetStore, type FleetStore } from './store/fleet-store'
import { createStoreClient, type StoreWorkerLauncher } from './store/worker/store-client'
import type { Worker } from 'node:worker_threads'
import { importLegacyData } from './store/import-legacy'
import { createStoreTrust } from './store/trust'
import { startNewStore } from './store/start-new'
import { fleetHandlers } from './handlers/fleet'
import { appHandlers } from './handlers/app'
import { sandboxHandlers } from './handlers/sandbox'
import { fileHandlers } from './handlers/files'
import { settingsHandlers } from './handlers/settings'
import { bulkHandlers } from './handlers/bulk'
import { secretHandlers } from './handlers/secrets'
import { join } from 'node:path'
import { createBulkRevoker } from './jobs/bulk-revoke'
import { rateLimitHandlers } from './handlers/ratelimit'
import { createHeadroomAlerts } from './ratelimit/alerts'
import { createSettingsStore } from './settings-store'
import { createJournal } from './journal/journal'
import { journalHandlers } from './handlers/journal'
import { createScheduledRevokes } from './jobs/scheduled-revokes'
import { createKeyRevoker } from './writes/revoke-key'
import { createKeyCreator } from './writes/create-key'
import { createFingerprinter } from './triage/fingerprint-key'
import { createTriage } from './triage/service'
import { createTriageSessions } from './triage/sessions'
import { triageHandlers } from './handlers/triage'
import { createFleetPolicy } from './policy/fleet-policy'
import { policyHandlers } from './handlers/policy'
import { scheduleHandlers } from './handlers/schedule'
import { notificationHandlers } from './handlers/notifications'
import { radarHandlers } from './handlers/radar'
import { createNotices } from './notify/notices'
import { createExpiryNotifications } from './radar/expiry-notifications'
import { createOutsideNotifications } from './radar/outside-notifications'
import { userInfo } from 'node:os'
import type { TenantStatus } from '../../shared/tenants'
import { toAppError } from './errors'
import { createTenantSync } from './sync/tenant-sync'
import { createHostProbe } from './sync/host-probe'
import { createFleetSync } from './sync/fleet-sync'
import { syncHandlers } from './handlers/sync'
import { createEventBus, type EventListener } from './events/bus'
import { createCampaigns, type CampaignDeps } from './campaigns/runner'
import { createPacingShare } from './campaigns/pacing-share'
import { campaignHandlers } from './handlers/campaigns'
import { LAST_USED_GRANULARITY_MS } from '../../shared/campaigns'

/** The fleet store's file name in the data dir (docs/ARCHITECTURE.md, "Fleet store"). */
export const STORE_FILE = 'keydesk.db'

export interface CoreOptions {
  dataDir: string
  secretStore: SecretStore
  fetch?: typeof fetch
  now?: () => number
  clipboard?: ClipboardPort
  notifier?: NotifierPort
  fileSaver?: FileSaverPort
  /** The OS open dialog for leak triage's scan; without one (web preview) the path is typed. */
  scanPicker?: ScanPickerPort
  logger?: Logger
  appVersion?: string
  platform?: string
  /** Per-request timeout for MeshQu calls (default 10 s). */
  timeoutMs?: number
  /** Share of each tenant's rate limit that background and bulk work never spends (default 0.05). */
  reserveFraction?: number
  /** Replaces how "Try the sandbox" starts its server (tests). */
  startSandbox?: StartSandbox
  /**
   * Real time for the scheduled runner to check the wall clock against (default performance.now).
   * With an injected `now` and none given, `now` serves as both, so a test's clock never "jumps".
   */
  monotonic?: () => number
  /** How often ended unlocks are looked for and journaled (default 5 s; tests use less). */
  unlockSweepMs?: number
  /** Real-time interval between checks for due scheduled revokes (default 15 s; tests use less). */
  scheduleCheckMs?: number
  /**
   * Expiry notifications: how often they are checked while KeyDesk runs (default
   * 10 minutes; the first check runs within a minute of the store opening), or false for none.
   */
  expiryCheckEveryMs?: number | false
  /**
   * Where the fleet store runs: its own worker thread (default; main never runs SQL), or in this
   * thread (unit tests of one piece). Both are the same FleetStore interface.
   */
  store?: 'worker' | 'in-process'
  /** How the store's worker is started (the Electron shell's bundled file), and each as it starts. */
  storeWorker?: { launch?: StoreWorkerLauncher; onWorker?: (worker: Worker) => void }
  /** Who is at this KeyDesk, for the journal's acknowledgements (default: the OS account main runs as). */
  operator?: () => string
  /**
   * Background sync of the whole fleet, host probes, a list started at once after a write of
   * unknown outcome and when a host answers again (sync/fleet-sync.ts). The shells (Electron,
   * `start:web`) turn it on; off by default so a test's requests are only its own. `sync.all`
   * works either way.
   */
  backgroundSync?: { tickMs?: number; concurrency?: number; probeTimeoutMs?: number } | false
  /**
   * Rotation campaigns' timing (tests run quiet windows and deadlines in ms): the runner's real-time
   * pass interval, the assumed granularity of last_used_at, the longest wait between checks, the
   * claim lease, and a hook called after each write (a test's crash point).
   */
  campaigns?: Pick<CampaignDeps, 'tickMs' | 'granularityMs' | 'checkEveryMs' | 'leaseMs' | 'afterWrite'>
}

/** How often the expiry check looks whether it is due (it never opens the store itself). */
const EXPIRY_TICK_MS = 60_000

export interface Core {
  /** Never throws: every outcome is a Reply. */
  invoke(channel: string, payload: unknown): Promise<Reply<unknown>>
  /** Main's events for the renderer (src/shared/events.ts), in batches; returns the unsubscribe. */
  events: { subscribe(listener: EventListener): () => void }
  dispose(): Promise<void>
}

/** Everything the main process does, minus Electron: testable in plain Node. */
export function createCore(options: CoreOptions): Core {
  const now = options.now ?? Date.now
  const log = options.logger ?? createLogger()
  // What changed, told to the renderer: services emit, the transports forward (events/bus.ts).
  const events = createEventBus({ log })
  const emit = events.emit
  // Resolved, never rejected: a data dir we cannot create is reported per call, not as a crash.
  const ready = mkdir(options.dataDir, { recursive: true, mode: 0o700 }).then(
    () => true,
    () => false
  )
  const profiles = createProfileStore(options.dataDir, log, now)
  // Every keychain use waits for items of the old, un-namespaced accounts to be moved.
  const keychain = withKeychainMigration(options.secretStore, { profiles, log })
  const adminKeys = createAdminKeys(keychain)
  const tracker = createRateLimitTracker()
  const settings = createSettingsStore(options.dataDir, log)
  const scheduler = createScheduler({ tracker, now, reserveFraction: () => options.reserveFraction ?? settings.peek().reserveFraction })
  const sessions = createTenantSessions({
    profiles,
    adminKeys,
    tracker,
    scheduler,
    fetch: options.fetch,
    now,
    timeoutMs: options.timeoutMs
  })
  const slots = createRevealSlots({ now })
  const verifications = createVerifications({ now })
  const dataKey = createDataKeyProvider(keychain, { lockDir: options.dataDir, now })
  const storePath = join(options.dataDir, STORE_FILE)
  // The keychain's anchor: what the file cannot vouch for itself (an older copy put back, another file).
  const trust = createStoreTrust({ secrets: keychain, log, now })
  // One encrypted database for the fleet, opened on first use with the keychain's data key, on
  // its own thread: every store call is a message, so a long sync or report never holds main.
  // Each file opened is checked against the anchor first; the old files are imported only into
  // the first store ever kept under this keychain.
  const afterOpen = async (opened: FleetStore) => {
    const { firstStore } = await trust.opened((seq) => opened.anchor.mark(seq))
    await importLegacyData({ dataDir: options.dataDir, store: opened, dataKey, log, now, firstStore })
  }
  const onAnchor = trust.advance
  const store: FleetStore =
    options.store === 'in-process'
      ? createFleetStore({ path: storePath, dataKey, log, now, afterOpen, onAnchor })
      : createStoreClient({ path: storePath, dataKey, log, now, afterOpen, onAnchor, ...options.storeWorker })
  // Each tenant's base URL, so a network failure marks its whole host (tenants/status.ts).
  const hostOf = new Map<string, string>()
  const learnHosts = async () => {
    const list = await profiles.list()
    hostOf.clear()
    for (const p of list) hostOf.set(p.id, p.baseUrl)
    return list
  }
  void learnHosts().catch(() => {})
  const status = createTenantStatus({ hostOf: (id) => hostOf.get(id), now })
  const journal = createJournal({ store, profiles, log, now })
  // Unlocks of read-only tenants live here only, in memory; the guard is main's rule on writes.
  const unlocks = createUnlocks({ journal, log, now, sweepEveryMs: options.unlockSweepMs, emit })
  const guard = createWriteGuard({ profiles, adminKeys, unlocks })
  const reasonRequired = async () => (await settings.get()).requireReasonInProduction
  // One revoke and one create for every path that makes them, each keeping the fleet store true.
  // A write of unknown outcome starts the list that settles it at once (assigned once the fleet sync exists).
  let settleNow: (tenant: string) => void = () => {}
  const writeDeps = {
    sessions,
    store,
    journal,
    profiles,
    log,
    now,
    emit,
    onUnknown: (tenant: string) => {
      status.markSettling(tenant)
      announce([tenant])
      settleNow(tenant)
    }
  }
  const revoke = createKeyRevoker(writeDeps)
  const policy = createFleetPolicy({ store, journal, log, now })
  // Leak triage's keyed fingerprints: taken for every plaintext the one create path receives.
  const fingerprint = createFingerprinter(keychain, { lockDir: options.dataDir })
  const create = createKeyCreator({ ...writeDeps, slots, policy, fingerprint })
  const bulk = createBulkRevoker({ sessions, scheduler, journal, revoke, emit })
  const schedules = createScheduledRevokes({
    store,
    sessions,
    profiles,
    journal,
    log,
    now,
    checkEveryMs: options.scheduleCheckMs,
    monotonic: options.monotonic ?? (options.now ? options.now : () => performance.now()),
    revoke,
    held: trust.held,
    emit
  })
  // Leak triage: pasted keys held in memory per session, matched by fingerprint or preview, contained through the one create and revoke.
  const triage = createTriage({
    store,
    profiles,
    adminKeys,
    guard,
    fingerprint,
    sessions: createTriageSessions({ now }),
    journal,
    create,
    revoke,
    fetch: options.fetch ?? fetch,
    timeoutMs: options.timeoutMs ?? 10_000,
    log,
    now
  })
  // Rotation campaigns: replacements through the one create, old keys through the one revoke.
  const campaignGranularity = options.campaigns?.granularityMs ?? LAST_USED_GRANULARITY_MS
  const campaigns = createCampaigns({
    store,
    sessions,
    profiles,
    journal,
    log,
    now,
    create,
    revoke,
    slots,
    guard,
    pacing: createPacingShare({ tracker, now }),
    requestTimeoutMs: options.timeoutMs,
    ...options.campaigns,
    granularityMs: campaignGranularity
  })
  // Every notification passes through here: numbered for the web preview, clicks remembered.
  const notices = createNotices({ notifier: options.notifier, now, emit })
  const radar = store.radar
  const expiry = createExpiryNotifications({
    radar,
    profiles: () => profiles.list(),
    settings: () => settings.get(),
    notifier: notices.port,
    now,
    log
  })
  // Keys created or revoked outside KeyDesk, told per tenant after the sync that found them.
  const outside = createOutsideNotifications({
    store,
    labelOf: async (id) => (await profiles.get(id))?.label,
    notifier: notices.port,
    log
  })
  const operator = options.operator ?? osAccount
  const expiryEvery = options.expiryCheckEveryMs ?? 10 * 60_000
  let lastExpiryCheck = -Infinity
  let expiryRunning = false
  // Only once the store is open (the UI opens it): a timer never causes a keychain prompt.
  const expiryTick = () => {
    if (expiryEvery === false || expiryRunning || store.state() !== 'open') return
    if (expiry.caughtUp() && now() - lastExpiryCheck < expiryEvery) return
    expiryRunning = true
    lastExpiryCheck = now()
    void expiry
      .check()
      .catch((err) => log.warn('expiry notifications: check failed', err))
      .finally(() => (expiryRunning = false))
  }
  // Ticks at least every minute; a shorter configured interval (tests) ticks that often.
  const expiryTimer = expiryEvery === false ? undefined : setInterval(expiryTick, Math.min(EXPIRY_TICK_MS, expiryEvery))
  expiryTimer?.unref?.()
  const alerts = createHeadroomAlerts({
    notifier: notices.port,
    threshold: () => settings.peek().headroomAlertFraction,
    labelOf: async (id) => (await profiles.get(id))?.label
  })
  tracker.onReading(alerts.check)
  void settings.get()
  const sandbox = createEmbeddedSandbox({
    dataDir: options.dataDir,
    profiles,
    adminKeys,
    sessions,
    log,
    now,
    start: options.startSandbox
  })
  // After a 429, until when the tenant's pacing holds its calls.
  const rateLimitedUntil = (id: string): number | null => {
    const s = scheduler.state(id)
    return s.reason === 'rate-limited' && s.waitingUntil !== null && s.waitingUntil > now() ? s.waitingUntil : null
  }
  // The embedded sandbox's profile reads "stopped" whenever its server is not running.
  const statusOf = (p: TenantProfile): TenantStatus => {
    hostOf.set(p.id, p.baseUrl)
    if (p.embedded && !sandbox.isRunning()) return 'stopped'
    const s = status.get(p.id)
    return s === 'online' || s === 'unknown' ? (rateLimitedUntil(p.id) !== null ? 'rate-limited' : s) : s
  }
  const statusById = (id: string): TenantStatus => {
    const s = status.get(id)
    return s === 'online' || s === 'unknown' ? (rateLimitedUntil(id) !== null ? 'rate-limited' : s) : s
  }
  // The one list → fleet store path, for visits and the fleet sync alike.
  const syncTenant = createTenantSync({
    sessions,
    tracker,
    store,
    profiles,
    journal,
    log,
    now,
    afterSync: (tenant, syncedAt) => {
      emit({ type: 'store.changed', tenant, synced: true })
      return outside.afterSync(tenant, syncedAt)
    },
    onSettled: (tenant) => {
      status.settled(tenant)
      announce([tenant])
    }
  })
  const probe = createHostProbe({
    fetch: options.fetch,
    now,
    timeoutMs: options.backgroundSync ? options.backgroundSync.probeTimeoutMs : undefined
  })
  const fleetSync = createFleetSync({
    tenants: async () => (await learnHosts()).filter((p) => !(p.embedded && !sandbox.isRunning())),
    statusOf: statusById,
    syncTenant: async (id, signal) => {
      try {
        const r = await syncTenant(id, { kind: 'background', signal })
        status.record(id, null)
        return r.syncedAt
      } catch (err) {
        if (!signal.aborted) status.record(id, toAppError(err))
        throw err
      }
    },
    storedSyncTimes: async () => new Map((await store.counts(now())).map((c) => [c.tenant, c.syncedAt])),
    rateLimitedUntil,
    isSettling: (id) => status.isSettling(id),
    ready: () => store.state() === 'open',
    probeHost: probe,
    onProbe: (baseUrl, reachable) => status.probed(baseUrl, reachable),
    hosts: () => status.hosts(),
    periodMs: () => settings.peek().syncEveryMinutes * 60_000,
    now,
    log,
    concurrency: options.backgroundSync ? options.backgroundSync.concurrency : undefined,
    tickMs: options.backgroundSync ? options.backgroundSync.tickMs : undefined
  })
  // Statuses that change without a call of that tenant (its host went or came back, a write began
  // or ended settling) are told to the renderer as they change, with the fleet sync's own moves.
  const announced = new Map<string, TenantStatus>()
  function announce(ids?: readonly string[]) {
    void profiles
      .list()
      .then((list) => {
        for (const p of list) {
          if (ids && !ids.includes(p.id)) continue
          const s = statusOf(p)
          if (announced.get(p.id) === s) continue
          announced.set(p.id, s)
          emit({ type: 'tenant.status', tenant: p.id, status: s })
        }
        emit({ type: 'sync.changed' })
      })
      .catch(() => {})
  }
  status.onHostChange((baseUrl) => announce([...hostOf].filter(([, url]) => url === baseUrl).map(([id]) => id)))
  fleetSync.onChange(() => emit({ type: 'sync.changed' }))
  if (options.backgroundSync) {
    settleNow = (tenant) => void fleetSync.settleNow(tenant).catch((err) => log.warn('fleet sync: settling failed', err))
    // The network returned: every tenant on the host that answered again is listed now.
    status.onHostChange((baseUrl, reachable) => {
      if (reachable) void fleetSync.hostBack(baseUrl).catch((err) => log.warn('fleet sync: host back, not synced', err))
    })
  }

  const removeTenant = createTenantRemoval({
    store,
    adminKeys,
    profiles,
    sessions,
    tracker,
    status,
    scheduler,
    bulk,
    slots,
    alerts,
    unlocks
  })

  // Wiring only: each area's handlers live in handlers/<area>.ts.

  const handlers: Handlers = {
    ...appHandlers({ secrets: keychain, dataDir: options.dataDir, appVersion: options.appVersion, platform: options.platform }),
    ...tenantHandlers({
      profiles,
      adminKeys,
      sessions,
      status,
      statusOf,
      store,
      removeTenant,
      now,
      journal,
      slots,
      verifications
    }),
    ...sandboxHandlers({ sandbox, status, statusOf }),
    ...keyHandlers({
      sessions,
      tracker,
      store,
      profiles,
      wasOffline: (id) => status.get(id) === 'offline',
      log,
      now,
      journal,
      reasonRequired,
      schedules,
      revoke,
      create,
      syncTenant: async (tenant, o) => {
        const r = await syncTenant(tenant, o)
        if (r.complete) fleetSync.noteSynced(tenant, r.syncedAt)
        return r
      },
      rateLimitedUntil,
      guard
    }),
    ...syncHandlers({ fleetSync }),
    ...scheduleHandlers({ schedules, profiles, reasonRequired, now, guard }),
    ...unlockHandlers({ unlocks, guard, profiles, now }),
    ...journalHandlers({ store, trust, now }),
    ...fileHandlers({ fileSaver: options.fileSaver }),
    ...rateLimitHandlers({ tracker, scheduler, sessions, profiles, store, now }),
    ...fleetHandlers({
      store,
      trust,
      profiles,
      storePath,
      now,
      startNew: () => startNewStore({ store, dataKey, trust, path: storePath, now }),
      // Acknowledged: schedules held meanwhile run at the next check, which starts now.
      acknowledged: () => void schedules.check()
    }),
    ...radarHandlers({
      store,
      radar,
      profiles,
      settings: () => settings.get(),
      policy: () => policy.get(),
      sessions,
      fileSaver: options.fileSaver,
      log,
      now,
      journal,
      operator
    }),
    ...policyHandlers({ policy }),
    ...notificationHandlers({ notices }),
    ...settingsHandlers({ settings }),
    ...bulkHandlers({ bulk, profiles, reasonRequired, guard }),
    ...secretHandlers({ slots, clipboard: options.clipboard }),
    ...triageHandlers({ triage, scanPicker: options.scanPicker }),
    ...campaignHandlers({ campaigns, profiles, reasonRequired, guard, now, granularityMs: campaignGranularity })
  }
  const route = createRouter(handlers, log, now, {
    // A status that changed is told at once: the sidebar follows calls it did not make itself.
    observe: (id, error) => {
      const before = status.get(id)
      status.record(id, error)
      const after = status.get(id)
      // As replies say it (statusOf: the embedded sandbox's tenant reads "stopped" while its server is).
      if (after !== before)
        void profiles
          .get(id)
          .then((p) => p && emit({ type: 'tenant.status', tenant: id, status: statusOf(p) }))
          .catch(() => {})
    },
    statusOf: async (id) => {
      const profile = await profiles.get(id)
      return profile ? statusOf(profile) : undefined
    }
  })
  let disposed = false
  // Due schedules run now (also those that came due while KeyDesk was closed), then every few seconds.
  void ready.then((ok) => ok && !disposed && schedules.start())
  // The fleet sync's first run waits for the store to be open (a timer never prompts the keychain).
  if (options.backgroundSync) void ready.then((ok) => ok && !disposed && fleetSync.start())
  // Campaigns resume only once the store is open (the UI opens it): a timer never causes a keychain prompt.
  const campaignTimer = setInterval(() => {
    if (!disposed && store.state() === 'open') void campaigns.pass().catch((err) => log.warn('campaigns: pass failed', err))
  }, options.campaigns?.tickMs ?? 15_000)
  campaignTimer.unref?.()

  return {
    async invoke(channel, payload) {
      if (disposed) return { ok: false, error: { code: 'INTERNAL', message: 'KeyDesk is shutting down.' } }
      if (!(await ready)) {
        return { ok: false, error: { code: 'INTERNAL', message: `KeyDesk cannot write its data folder ${options.dataDir}. Check its permissions.` } }
      }
      return route(channel, payload)
    },
    events: { subscribe: events.subscribe },
    async dispose() {
      disposed = true
      events.dispose()
      // A verification still waiting on a host writes nothing once KeyDesk is going.
      verifications.cancelAll()
      // Unlocks end with KeyDesk, journaled while the store is still open.
      await unlocks.dispose().catch((err) => log.warn('unlocks: not all ends were journaled', err))
      if (expiryTimer) clearInterval(expiryTimer)
      await schedules.stop()
      await fleetSync.stop()
      clearInterval(campaignTimer)
      await campaigns.stop()
      await slots.dispose()
      triage.dispose()
      await bulk.dispose()
      await sandbox.stop()
      await store.close()
      await trust.flush()
    }
  }
}

/** The OS account main runs as; "this computer's user" where the OS cannot say. */
function osAccount(): string {
  try {
    return userInfo().username || "this computer's user"
  } catch {
    return "this computer's user"
  }
}

export type { SecretStore } from './tenants/secret-store'
export { createMemorySecretStore } from './tenants/memory-store'
export { createKeytarSecretStore } from './tenants/keytar-store'

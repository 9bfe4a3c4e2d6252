import { mkdir } from 'node:fs/promises'
import type { Reply } from '../../shared/envelope'
import type { TenantProfile } from '../../shared/tenants'
import { createLogger, type Logger } from './log'
import type { ClipboardPort, FileSaverPort, NotifierPort } from './ports'
import { CoreError } from './errors'
import { createRateLimitTracker } from './ratelimit/tracker'
import { createScheduler } from './ratelimit/scheduler'
import { createRouter, type Handlers } from './router'
import { createRevealSlots } from './secrets/reveal-slots'
import { createProfileStore } from './tenants/profile-store'
import { keychainAvailability, type SecretStore } from './tenants/secret-store'
import { createTenantSessions } from './tenants/sessions'
import { createTenantStatus } from './tenants/status'
import { keyHandlers } from './handlers/keys'
import { tenantHandlers } from './handlers/tenants'
import { createEmbeddedSandbox, type StartSandbox } from './sandbox/embedded'
import { createDataKeyProvider } from './cache/data-key'
import { createFleetStore } from './store/fleet-store'
import { importLegacyData } from './store/import-legacy'
import { fleetHandlers } from './handlers/fleet'
import { join } from 'node:path'
import { createBulkRevoker } from './jobs/bulk-revoke'
import { rateLimitHandlers } from './handlers/ratelimit'
import { createHeadroomAlerts } from './ratelimit/alerts'
import { createSettingsStore } from './settings-store'

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
  logger?: Logger
  appVersion?: string
  platform?: string
  /** Per-request timeout for MeshQu calls (default 10 s). */
  timeoutMs?: number
  /** Share of each tenant's rate limit that background and bulk work never spends (default 0.05). */
  reserveFraction?: number
  /** Replaces how "Try the sandbox" starts its server (tests). */
  startSandbox?: StartSandbox
}

export interface Core {
  /** Never throws: every outcome is a Reply. */
  invoke(channel: string, payload: unknown): Promise<Reply<unknown>>
  dispose(): Promise<void>
}

/** Everything the main process does, minus Electron: testable in plain Node. */
export function createCore(options: CoreOptions): Core {
  const now = options.now ?? Date.now
  const log = options.logger ?? createLogger()
  // Resolved, never rejected: a data dir we cannot create is reported per call, not as a crash.
  const ready = mkdir(options.dataDir, { recursive: true, mode: 0o700 }).then(
    () => true,
    () => false
  )
  const profiles = createProfileStore(options.dataDir, log, now)
  const tracker = createRateLimitTracker()
  const settings = createSettingsStore(options.dataDir, log)
  const scheduler = createScheduler({ tracker, now, reserveFraction: () => options.reserveFraction ?? settings.peek().reserveFraction })
  const sessions = createTenantSessions({
    profiles,
    secrets: options.secretStore,
    tracker,
    scheduler,
    fetch: options.fetch,
    now,
    timeoutMs: options.timeoutMs
  })
  const slots = createRevealSlots({ now })
  const dataKey = createDataKeyProvider(options.secretStore, { lockDir: options.dataDir })
  const storePath = join(options.dataDir, STORE_FILE)
  // One encrypted database for the fleet, opened on first use with the keychain's data key.
  const store = createFleetStore({
    path: storePath,
    dataKey,
    log,
    now,
    afterOpen: (opened) => importLegacyData({ dataDir: options.dataDir, store: opened, dataKey, log, now }).then(() => {})
  })
  const status = createTenantStatus()
  const bulk = createBulkRevoker({ sessions, scheduler, onRevoked: (tenant, id) => store.rotations.resolve(tenant, [id]) })
  const alerts = createHeadroomAlerts({
    notifier: options.notifier,
    threshold: () => settings.peek().headroomAlertFraction,
    labelOf: async (id) => (await profiles.get(id))?.label
  })
  tracker.onReading(alerts.check)
  void settings.get()
  const sandbox = createEmbeddedSandbox({
    dataDir: options.dataDir,
    profiles,
    secrets: options.secretStore,
    sessions,
    log,
    now,
    start: options.startSandbox
  })
  // The embedded sandbox's profile reads "stopped" whenever its server is not running.
  const statusOf = (p: TenantProfile) => (p.embedded && !sandbox.isRunning() ? 'stopped' : status.get(p.id))

  const handlers: Handlers = {
    'app.info': async () => {
      // A probe of one account, never an enumeration: findCredentials is what a locked keyring crashes on.
      const keychain = await keychainAvailability(options.secretStore)
      return {
        data: {
          version: options.appVersion ?? '0.0.0',
          platform: options.platform ?? process.platform,
          dataDir: options.dataDir,
          keychain
        }
      }
    },
    ...tenantHandlers({ profiles, secrets: options.secretStore, sessions, tracker, status, statusOf, store, now }),
    'sandbox.start': async () => {
      const { profile, url } = await sandbox.start()
      status.record(profile.id, null)
      return { data: { tenant: { ...profile, status: statusOf(profile) }, url }, meta: { tenantId: profile.id } }
    },
    'sandbox.status': async () => ({ data: { running: sandbox.isRunning(), url: sandbox.url() } }),
    ...keyHandlers({
      sessions,
      slots,
      tracker,
      store,
      profiles,
      wasOffline: (id) => status.get(id) === 'offline',
      log,
      now
    }),
    'files.save': async ({ suggestedName, content }) => {
      if (!options.fileSaver) throw new CoreError('READ_ONLY', 'There is no save dialog here; the file is downloaded by the browser instead.')
      const path = await options.fileSaver.save(suggestedName, content)
      return { data: { saved: path !== null, path } }
    },
    ...rateLimitHandlers({ tracker, scheduler, sessions, profiles, store, now }),
    ...fleetHandlers({ store, profiles, storePath, now }),
    'settings.get': async () => ({ data: await settings.get() }),
    'settings.update': async (patch) => ({ data: await settings.update(patch) }),
    'bulk.revoke': async ({ tenant, ids }) => ({ data: await bulk.start(tenant, ids) }),
    'bulk.status': async ({ jobId }) => ({ data: bulk.status(jobId) }),
    'bulk.cancel': async ({ jobId }) => ({ data: bulk.cancel(jobId) }),
    'bulk.retryFailed': async ({ jobId }) => ({ data: bulk.retryFailed(jobId) }),
    'secrets.reveal': async ({ revealId }) => ({ data: { plaintext: slots.reveal(revealId) } }),
    'secrets.copy': async ({ revealId }) => ({ data: slots.copy(revealId, options.clipboard) }),
    'secrets.discard': async ({ revealId }) => ({ data: { discarded: slots.discard(revealId) } })
  }
  const route = createRouter(handlers, log, now, {
    observe: status.record,
    statusOf: async (id) => {
      const profile = await profiles.get(id)
      return profile ? statusOf(profile) : undefined
    }
  })
  let disposed = false

  return {
    async invoke(channel, payload) {
      if (disposed) return { ok: false, error: { code: 'INTERNAL', message: 'KeyDesk is shutting down.' } }
      if (!(await ready)) {
        return { ok: false, error: { code: 'INTERNAL', message: `KeyDesk cannot write its data folder ${options.dataDir}. Check its permissions.` } }
      }
      return route(channel, payload)
    },
    async dispose() {
      disposed = true
      await slots.dispose()
      await bulk.dispose()
      await sandbox.stop()
      store.close()
    }
  }
}

export type { SecretStore } from './tenants/secret-store'
export { createMemorySecretStore } from './tenants/memory-store'
export { createKeytarSecretStore } from './tenants/keytar-store'

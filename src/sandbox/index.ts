import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { SandboxControl, type TenantCredentials } from './control'
import type { SandboxContext } from './context'
import { Faults } from './faults'
import { loadCredentials, loadSnapshot, Persister, saveCredentials } from './persist'
import { DEFAULT_LIMITS, RateLimiter } from './ratelimit'
import { keyState } from './records'
import { buildServer } from './server'
import { SandboxStore } from './store'
import { hashKey } from './keys'

export type { TenantCredentials, CreateTenantInput, LimitsInput, LimitsView, PresentInput, SandboxStateView } from './control'
export { STILL_PRESENTED_NAME } from './showcase'
export type { FaultsInput, FaultsState } from './faults'
export { SANDBOX_VERSION } from './context'
export { isLoopbackAddress } from './loopback'

export interface SandboxOptions {
  /** 0 (default) picks a free port */
  port?: number
  /** default 127.0.0.1 */
  host?: string
  /** tenants provisioned at start (default 2); with a data dir, only missing ones are added */
  tenants?: number
  /** keys each newly provisioned tenant starts with, its admin key included (default 25, min 1) */
  seedKeys?: number
  /** post-authentication requests per window per tenant + key (default 1000) */
  rateLimit?: number
  /** pre-authentication requests per window per client IP (default 10000) */
  preAuthLimit?: number
  /** fixed window length in seconds (default 60) */
  windowSeconds?: number
  /** persist state here (state.json + credentials.json) and reload it on the next start */
  dataDir?: string
  /** no log lines on stderr */
  quiet?: boolean
  /**
   * newly provisioned tenants' first seeded keys are one per radar category, including a revoked
   * key a simulated service keeps presenting (showcase.ts); default true, needs seedKeys ≥ 9
   */
  radarShowcase?: boolean
}

export interface SandboxHandle {
  /** http://127.0.0.1:PORT, no trailing slash */
  url: string
  /** the sandbox-provisioned tenants and their admin keys (all ten scopes) */
  tenants: TenantCredentials[]
  /** the /__sandbox operations, in-process */
  control: SandboxControl
  close(): Promise<void>
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

function positiveInt(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${name} must be a whole number ≥ ${min} (got ${value})`)
  return v
}

/**
 * Start a MeshQu-compatible sandbox on loopback.
 *
 * With `dataDir`, state.json holds tenants, key hashes, metadata and audit events, and
 * credentials.json (mode 0600) the plaintext of the admin keys the sandbox provisioned itself, so
 * a restart hands out the same admin keys. If a stored admin key is missing, revoked or expired,
 * the tenant gets a fresh admin key (and credentials.json is updated). Keys created through the
 * API are stored as hashes only.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const tenantCount = positiveInt('tenants', options.tenants, 2, 0)
  const seedKeys = positiveInt('seedKeys', options.seedKeys, 25, 0)
  const limiter = new RateLimiter({
    limit: positiveInt('rateLimit', options.rateLimit, DEFAULT_LIMITS.limit),
    preAuthLimit: positiveInt('preAuthLimit', options.preAuthLimit, DEFAULT_LIMITS.preAuthLimit),
    windowSeconds: positiveInt('windowSeconds', options.windowSeconds, DEFAULT_LIMITS.windowSeconds)
  })
  const log = options.quiet ? () => {} : (m: string) => process.stderr.write(`${m}\n`)
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined

  // --- state: fresh, or reloaded from the data dir ---
  let store: SandboxStore
  const credentials = new Map<string, string>() // tenant id → admin key plaintext
  if (dataDir) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
    const snapshot = await loadSnapshot(dataDir)
    store = snapshot ? SandboxStore.fromSnapshot(snapshot) : new SandboxStore()
    for (const c of (await loadCredentials(dataDir)).tenants) credentials.set(c.id, c.admin_key)
  } else {
    store = new SandboxStore()
  }
  const persister = dataDir ? new Persister(dataDir, () => store.snapshot()) : undefined
  const saveCreds = async () => {
    if (!dataDir) return
    await saveCredentials(dataDir, { tenants: [...credentials].map(([id, admin_key]) => ({ id, admin_key })) })
  }

  // Reloaded tenants: keep a stored admin key that still works, else issue a fresh one.
  let credsChanged = false
  for (const t of store.listTenants()) {
    const stored = credentials.get(t.id)
    const record = stored ? store.findByPlaintext(stored) : undefined
    const usable = record && record.tenant_id === t.id && keyState(record, Date.now()) === 'active' && record.hash === hashKey(stored!)
    if (!usable) {
      credentials.set(t.id, store.issueAdminKey(t.id))
      credsChanged = true
      log(`sandbox: issued a fresh admin key for reloaded tenant ${t.name} (${t.id})`)
    }
  }
  for (const id of credentials.keys()) {
    if (!store.getTenant(id)) {
      credentials.delete(id)
      credsChanged = true
    }
  }

  const faults = new Faults()
  const control = new SandboxControl(store, limiter, faults, async (tenantId, adminKey) => {
    credentials.set(tenantId, adminKey)
    await saveCreds()
  })
  store.onChange = () => persister?.schedule()

  for (let i = store.listTenants().length; i < tenantCount; i++) {
    const { tenant, adminKey } = store.createTenant()
    if (seedKeys > 1) store.seed(tenant.id, seedKeys - 1, { showcase: options.radarShowcase ?? true })
    credentials.set(tenant.id, adminKey)
    credsChanged = true
  }
  if (credsChanged) await saveCreds()
  await persister?.flush()

  // --- server ---
  const closing = new AbortController()
  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      if (closing.signal.aborted) return done()
      const timer = setTimeout(finish, ms)
      function finish() {
        clearTimeout(timer)
        closing.signal.removeEventListener('abort', finish)
        done()
      }
      closing.signal.addEventListener('abort', finish, { once: true })
    })
  const ctx: SandboxContext = { store, limiter, faults, control, now: Date.now, sleep, log }
  const app = buildServer(ctx)
  const host = options.host ?? '127.0.0.1'
  await app.listen({ port: options.port ?? 0, host })
  const port = (app.server.address() as AddressInfo).port
  const url = `http://${urlHost(host)}:${port}`

  const tenants = store
    .listTenants()
    .filter((t) => credentials.has(t.id))
    .map((t) => ({ id: t.id, name: t.name, admin_key: credentials.get(t.id)! }))

  let closed: Promise<void> | undefined
  return {
    url,
    tenants,
    control,
    close() {
      closed ??= (async () => {
        closing.abort()
        await app.close()
        await persister?.flush()
      })()
      return closed
    }
  }
}

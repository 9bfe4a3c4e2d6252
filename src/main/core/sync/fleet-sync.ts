import type { TenantStatus } from '../../../shared/tenants'
import { isStale, type HostState, type SyncSkip, type SyncStatus, type SyncTrigger, type TenantSync } from '../../../shared/sync'
import type { Logger } from '../log'
import { toAppError } from '../errors'

/**
 * Background sync of the whole fleet: keeps every tenant's list in the fleet store current without
 * the tenant being visited — once the store is open after start, every sync period, when a host
 * answers again, and on Sync all now. Each tenant is listed through the one list → store path
 * (sync/tenant-sync.ts) as background work, so its own scheduler paces it by its headroom, keeps
 * the reserve and lets interactive calls go first; a few tenants at a time keep main's event loop
 * free. Tenants that cannot be reached or opened are skipped and said to be.
 */

export interface FleetSyncTenant {
  id: string
  baseUrl: string
}

export interface FleetSyncDeps {
  tenants: () => Promise<FleetSyncTenant[]>
  statusOf: (id: string) => TenantStatus
  /** Lists the tenant into the store (background), returning when it was synced. */
  syncTenant: (id: string, signal: AbortSignal) => Promise<number>
  /** Each tenant's last complete list in the store (read once, then kept here). */
  storedSyncTimes: () => Promise<Map<string, number>>
  /** Until when a 429 holds the tenant, or null. */
  rateLimitedUntil: (id: string) => number | null
  isSettling: (id: string) => boolean
  /** Only once the store is open: a timer never causes a keychain prompt. */
  ready: () => boolean
  /** Health probe of a base URL; its outcome marks every tenant on it (tenants/status.ts). */
  probeHost?: (baseUrl: string) => Promise<boolean>
  onProbe?: (baseUrl: string, reachable: boolean) => void
  hosts: () => HostState[]
  periodMs: () => number
  now: () => number
  log: Logger
  /** Tenants listed at once (default 2). */
  concurrency?: number
  /** How often due runs and hosts are checked (default 5 s: the active tenant's host is noticed within ~10 s). */
  tickMs?: number
}

/** What changed, for whoever tells the renderer (the event stream wires here). */
export type FleetSyncChange =
  | { kind: 'progress'; running: boolean; done: number; total: number }
  | { kind: 'tenant'; tenant: string; state: TenantSync['state']; syncedAt: number | null }

/** Retry-After longer than this: the tenant is skipped in this run instead of holding a worker. */
const LONG_HOLD_MS = 60_000

const SKIP_BY_STATUS: Partial<Record<TenantStatus, SyncSkip>> = {
  offline: 'offline',
  'keychain-locked': 'keychain-locked',
  'auth-failed': 'auth-failed',
  stopped: 'stopped'
}

interface Run {
  trigger: SyncTrigger
  queue: string[]
  done: number
  total: number
  startedAt: number
  abort: AbortController
  finished: Promise<void>
}

export function createFleetSync(d: FleetSyncDeps) {
  const concurrency = Math.max(1, d.concurrency ?? 2)
  const tickMs = d.tickMs ?? 5_000
  const states = new Map<string, { state: TenantSync['state']; skipped: SyncSkip | null; error: string | null }>()
  let syncedAt: Map<string, number> | null = null
  let run: Run | null = null
  let lastStartedAt: number | null = null
  let lastFinishedAt: number | null = null
  let lastCancelled = false
  let timer: ReturnType<typeof setInterval> | undefined
  let ticking = false
  let stopped = false
  const listeners: ((c: FleetSyncChange) => void)[] = []
  /** Lists started at once to settle a write of unknown outcome, by tenant: stopped and awaited on stop. */
  const settlingNow = new Map<string, { abort: AbortController; done: Promise<unknown> }>()

  const emit = (c: FleetSyncChange) => {
    for (const l of listeners) {
      try {
        l(c)
      } catch (err) {
        d.log.warn('fleet sync: a listener failed', err)
      }
    }
  }
  const setState = (tenant: string, state: TenantSync['state'], extra: { skipped?: SyncSkip | null; error?: string | null } = {}) => {
    states.set(tenant, { state, skipped: extra.skipped ?? null, error: extra.error ?? null })
    emit({ kind: 'tenant', tenant, state, syncedAt: syncedAt?.get(tenant) ?? null })
  }
  const progress = (r: Run | null = run) => emit({ kind: 'progress', running: run !== null, done: r?.done ?? 0, total: r?.total ?? 0 })

  async function times(): Promise<Map<string, number>> {
    if (!syncedAt) {
      const stored = await d.storedSyncTimes().catch(() => new Map<string, number>())
      // A visit may have synced a tenant while the store was being read: the newer time wins.
      syncedAt = new Map([...stored, ...(syncedAt ?? [])])
    }
    return syncedAt
  }

  /** Why the tenant is left out now, or null. */
  function skipOf(id: string): SyncSkip | null {
    const bySt = SKIP_BY_STATUS[d.statusOf(id)]
    if (bySt) return bySt
    const until = d.rateLimitedUntil(id)
    if (until !== null && until - d.now() > LONG_HOLD_MS) return 'rate-limited'
    return null
  }

  async function syncOne(id: string, signal: AbortSignal): Promise<boolean> {
    setState(id, 'syncing')
    try {
      const at = await d.syncTenant(id, signal)
      noteSynced(id, at)
      setState(id, 'synced')
      return true
    } catch (err) {
      if (signal.aborted) {
        setState(id, 'queued')
        return false
      }
      const e = toAppError(err)
      // Offline now (the call marked its host): said as a skip, like one known before the run.
      const skip = SKIP_BY_STATUS[d.statusOf(id)] ?? (e.code === 'RATE_LIMITED' ? 'rate-limited' : null)
      if (skip) setState(id, 'skipped', { skipped: skip })
      else setState(id, 'failed', { error: e.message })
      return false
    }
  }

  function noteSynced(id: string, at: number) {
    if (!syncedAt) syncedAt = new Map()
    syncedAt.set(id, Math.max(at, syncedAt.get(id) ?? 0))
  }

  async function work(r: Run) {
    for (;;) {
      if (r.abort.signal.aborted) return
      const id = r.queue.shift()
      if (id === undefined) return
      const skip = skipOf(id)
      if (skip) setState(id, 'skipped', { skipped: skip })
      else await syncOne(id, r.abort.signal)
      r.done++
      progress()
      // One tenant's parse and store hand-off done: let IPC and timers in before the next.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }

  /** Starts a run over `ids` (every tenant when omitted); while one runs, new tenants join its queue. */
  async function begin(trigger: SyncTrigger, ids?: string[]): Promise<{ finished: Promise<void> }> {
    if (stopped) return { finished: Promise.resolve() }
    const all = (await d.tenants()).map((t) => t.id)
    const wanted = ids ? all.filter((id) => ids.includes(id)) : all
    await times()
    if (run) {
      const current = run
      for (const id of wanted) {
        if (!current.queue.includes(id) && states.get(id)?.state !== 'syncing') {
          current.queue.push(id)
          current.total++
          setState(id, 'queued')
        }
      }
      progress()
      return { finished: current.finished }
    }
    const r: Run = {
      trigger,
      queue: [...wanted],
      done: 0,
      total: wanted.length,
      startedAt: d.now(),
      abort: new AbortController(),
      finished: Promise.resolve()
    }
    run = r
    lastStartedAt = r.startedAt
    lastCancelled = false
    for (const id of wanted) setState(id, 'queued')
    progress()
    r.finished = Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, wanted.length)) }, () => work(r)))
      .then(() => undefined)
      .catch((err) => d.log.warn('fleet sync: run failed', err))
      .finally(() => {
        if (run === r) run = null
        lastFinishedAt = d.now()
        if (r.abort.signal.aborted) {
          lastCancelled = true
          for (const id of r.queue) setState(id, 'idle')
        }
        progress(r)
      })
    return { finished: r.finished }
  }

  async function probeHosts() {
    if (!d.probeHost) return
    const bases = [...new Set((await d.tenants()).map((t) => t.baseUrl))]
    await Promise.all(
      bases.map(async (b) => {
        const reachable = await d.probeHost!(b).catch(() => false)
        d.onProbe?.(b, reachable)
      })
    )
  }

  async function tick() {
    if (ticking || stopped) return
    ticking = true
    try {
      if (!d.ready()) return
      await probeHosts()
      const due = lastStartedAt === null ? 'start' : d.now() - lastStartedAt >= d.periodMs() ? 'timer' : null
      if (due && !run) void begin(due)
      else if (!run) {
        // A tenant added since the last run (never listed into the store) is listed now.
        const known = await times()
        const fresh = (await d.tenants()).map((t) => t.id).filter((id) => !known.has(id) && !states.has(id))
        if (fresh.length) void begin('start', fresh)
      }
    } catch (err) {
      d.log.warn('fleet sync: check failed', err)
    } finally {
      ticking = false
    }
  }

  return {
    /** Checks at once, then every tick. */
    start() {
      stopped = false
      void tick()
      timer = setInterval(() => void tick(), tickMs)
      timer.unref?.()
    },
    async stop() {
      stopped = true
      if (timer) clearInterval(timer)
      run?.abort.abort()
      // A settling list started by a write ends before the store closes (it would open it again).
      const settling = [...settlingNow.values()]
      for (const s of settling) s.abort.abort()
      await Promise.allSettled([run?.finished, ...settling.map((s) => s.done)])
    },
    /** One check now (tests, and a host that answered again). */
    tick,
    /** Sync all now: resolves once the run is set up, with the promise of its end. */
    syncAll: (trigger: SyncTrigger = 'manual') => begin(trigger),
    /** A host answers again: every tenant on it is listed now (the network returned). */
    async hostBack(baseUrl: string) {
      const ids = (await d.tenants()).filter((t) => t.baseUrl === baseUrl).map((t) => t.id)
      if (ids.length && d.ready()) await (await begin('network', ids)).finished
    },
    /**
     * A write's outcome is unknown: the list that settles it starts at once, not when the tenant is
     * next visited or the next run comes. A failure here leaves it to the host's return.
     */
    async settleNow(tenant: string) {
      if (settlingNow.has(tenant) || stopped) return
      const abort = new AbortController()
      const done = syncOne(tenant, abort.signal)
      settlingNow.set(tenant, { abort, done })
      try {
        await done
      } finally {
        settlingNow.delete(tenant)
      }
    },
    cancel() {
      run?.abort.abort()
    },
    /** A visit listed the tenant: its freshness follows. */
    noteSynced,
    forget(tenant: string) {
      states.delete(tenant)
      syncedAt?.delete(tenant)
    },
    /** Tells every change of progress or of a tenant's place in a run (wire it to the event stream). */
    onChange(listener: (c: FleetSyncChange) => void): () => void {
      listeners.push(listener)
      return () => {
        const i = listeners.indexOf(listener)
        if (i >= 0) listeners.splice(i, 1)
      }
    },
    async status(): Promise<SyncStatus> {
      const now = d.now()
      const periodMs = d.periodMs()
      const known = d.ready() ? await times() : (syncedAt ?? new Map<string, number>())
      const tenants = (await d.tenants()).map((t): TenantSync => {
        const s = states.get(t.id) ?? { state: 'idle' as const, skipped: null, error: null }
        const at = known.get(t.id) ?? null
        const until = d.rateLimitedUntil(t.id)
        return {
          tenant: t.id,
          status: d.statusOf(t.id),
          syncedAt: at,
          stale: isStale(at, periodMs, now),
          state: s.state,
          skipped: s.skipped,
          error: s.error,
          rateLimitedUntil: until !== null && until > now ? until : null,
          settling: d.isSettling(t.id)
        }
      })
      return {
        running: run !== null,
        trigger: run?.trigger ?? null,
        done: run?.done ?? 0,
        total: run?.total ?? 0,
        startedAt: run?.startedAt ?? lastStartedAt,
        lastFinishedAt,
        cancelled: lastCancelled,
        periodMs,
        now,
        tenants,
        hosts: d.hosts()
      }
    }
  }
}

export type FleetSync = ReturnType<typeof createFleetSync>

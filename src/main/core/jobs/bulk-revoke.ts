import type { EmitEvent } from '../events/bus'
import { randomUUID } from 'node:crypto'
import type { BulkJob } from '../../../shared/contract'
import type { AppError, ErrorCode } from '../../../shared/errors'
import { CoreError, toAppError } from '../errors'
import type { Scheduler } from '../ratelimit/scheduler'
import type { TenantSessions } from '../tenants/sessions'
import type { Journal } from '../journal/journal'
import type { KeyRevoker } from '../writes/revoke-key'

type Result = BulkJob['results'][number]
export interface BulkItem {
  tenant: string
  id: string
}

interface Job {
  jobId: string
  /** The tenants in the order first named; a single-tenant job has one. */
  tenants: string[]
  /** By `slot(tenant, id)`, in the order given. */
  results: Map<string, Result>
  /** Per tenant: ids still to send. Each tenant's queue has its own workers. */
  queues: Map<string, string[]>
  cancelled: boolean
  running: Promise<void> | null
  attempts: Map<string, number>
  reason?: string
  /** Started as bulk.revoke {tenant, ids}: the view keeps `tenant` set, as before. */
  single: boolean
}

/** Revocations in flight per tenant of a job; each tenant's scheduler still paces them against its headroom. */
const WIDTH = 2
/** A 429 puts the key back in the queue (the scheduler waits out Retry-After); this bounds it. */
const MAX_RATE_LIMITED_TRIES = 5
const KEEP_FINISHED_JOBS = 20
const slot = (tenant: string, id: string) => `${tenant}\n${id}`

/**
 * Bulk revocation as a job the UI polls: paced as background work (never spends the reserve,
 * waits out 429s), cancellable, with a result per key. A key that was revoked is never sent again.
 * A job may span tenants: each tenant gets its own workers, paced by its own scheduler, so a
 * tenant waiting for its window does not hold up the others.
 */
export function createBulkRevoker(deps: {
  sessions: TenantSessions
  scheduler: Scheduler
  /** Each key is revoked the one way (writes/revoke-key.ts): journaled per key with the job's id, the store told. */
  revoke: KeyRevoker
  /** One entry per tenant for the job. */
  journal?: Journal
  /** Tells the renderer the job moved (events/bus.ts folds a burst into one event per job). */
  emit?: EmitEvent
}) {
  /** How often a running job looks whether one of its tenants began or ended a wait. */
  const WAIT_WATCH_MS = 200
  const progressed = (job: Job) => deps.emit?.({ type: 'job.progress', jobId: job.jobId, tenants: job.tenants, finished: job.running === null })
  const jobs = new Map<string, Job>()

  function tally(results: Result[]) {
    const count = (s: Result['state']) => results.filter((r) => r.state === s).length
    return { total: results.length, revoked: count('revoked'), failed: count('failed'), pending: count('pending') }
  }

  function view(job: Job): BulkJob {
    const results = [...job.results.values()]
    const perTenant = job.tenants.map((tenant) => {
      const mine = results.filter((r) => r.tenant === tenant)
      const t = tally(mine)
      const pacing = deps.scheduler.state(tenant)
      const waiting = job.running !== null && t.pending > 0
      return { tenant, ...t, waitingUntil: waiting ? pacing.waitingUntil : null, waitingReason: waiting ? pacing.reason : null }
    })
    // The job waits when a tenant with work left waits; the soonest of them is shown.
    const soonest = perTenant.filter((t) => t.waitingUntil !== null).sort((a, b) => a.waitingUntil! - b.waitingUntil!)[0]
    return {
      jobId: job.jobId,
      tenant: job.single ? job.tenants[0]! : null,
      tenants: job.tenants,
      ...tally(results),
      cancelled: job.cancelled,
      finished: job.running === null,
      waitingUntil: soonest?.waitingUntil ?? null,
      waitingReason: soonest?.waitingReason ?? null,
      perTenant,
      results
    }
  }

  async function revokeOne(job: Job, tenant: string, id: string) {
    const key = slot(tenant, id)
    const tries = (job.attempts.get(key) ?? 0) + 1
    job.attempts.set(key, tries)
    // A 429 goes back in the queue (the scheduler waits out Retry-After): journaled only when final.
    const retrying = (e: AppError) => e.code === 'RATE_LIMITED' && tries < MAX_RATE_LIMITED_TRIES && !job.cancelled
    try {
      await deps.revoke({
        tenant,
        id,
        priority: 'background',
        entry: { action: 'bulk.revoke', reason: job.reason, jobId: job.jobId },
        retrying
      })
      job.results.set(key, { tenant, id, state: 'revoked' })
      progressed(job)
    } catch (err) {
      const e = toAppError(err)
      if (retrying(e)) {
        job.queues.get(tenant)!.unshift(id)
        return
      }
      const message =
        e.code === 'OFFLINE' || e.code === 'TIMEOUT'
          ? `The revocation may not have been applied (${e.code === 'OFFLINE' ? 'connection lost' : 'no answer in time'}); retry to make sure — revoking twice is safe.`
          : e.message
      job.results.set(key, { tenant, id, state: 'failed', code: e.code as ErrorCode, message })
      progressed(job)
    }
  }

  function run(job: Job) {
    const worker = async (tenant: string, queue: string[]) => {
      while (!job.cancelled) {
        const id = queue.shift()
        if (id === undefined) return
        await revokeOne(job, tenant, id)
      }
    }
    const workers = [...job.queues].flatMap(([tenant, queue]) => (queue.length ? Array.from({ length: WIDTH }, () => worker(tenant, queue)) : []))
    // A tenant that starts (or stops) waiting for its window is progress too: the renderer hears
    // it by event, not only at the next revoke. Only a change of the waits is told.
    let waits = ''
    const watch = deps.emit
      ? setInterval(() => {
          if (job.running === null) return
          const now = job.tenants.map((t) => `${t}:${deps.scheduler.state(t).waitingUntil ?? ''}`).join(',')
          if (now !== waits) {
            waits = now
            progressed(job)
          }
        }, WAIT_WATCH_MS)
      : undefined
    watch?.unref?.()
    job.running = Promise.allSettled(workers).then(() => {
      if (watch) clearInterval(watch)
      for (const [key, r] of job.results)
        if (r.state === 'pending') job.results.set(key, { tenant: r.tenant, id: r.id, state: 'skipped', message: 'Cancelled before it was sent.' })
      job.running = null
      progressed(job)
    })
  }

  function get(jobId: string): Job {
    const job = jobs.get(jobId)
    if (!job) throw new CoreError('NOT_FOUND', 'That bulk revocation is no longer known (KeyDesk was restarted?). Check the keys list.')
    return job
  }

  function prune() {
    const finished = [...jobs.values()].filter((j) => j.running === null)
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED_JOBS))) jobs.delete(j.jobId)
  }

  async function startItems(items: readonly BulkItem[], reason: string | undefined, single: boolean): Promise<BulkJob> {
    const tenants = [...new Set(items.map((i) => i.tenant))]
    for (const t of tenants) await deps.sessions.open(t) // fail fast on an unknown tenant or a locked keychain
    prune()
    const queues = new Map<string, string[]>(tenants.map((t) => [t, []]))
    for (const i of items) queues.get(i.tenant)!.push(i.id)
    const job: Job = {
      jobId: randomUUID(),
      tenants,
      results: new Map(items.map((i) => [slot(i.tenant, i.id), { tenant: i.tenant, id: i.id, state: 'pending' as const }])),
      queues,
      cancelled: false,
      running: null,
      attempts: new Map(),
      reason,
      single
    }
    jobs.set(job.jobId, job)
    for (const [tenant, ids] of queues) {
      await deps.journal?.record({
        tenant,
        action: 'bulk.job',
        outcome: 'ok',
        reason,
        jobId: job.jobId,
        detail: `Bulk revoke of ${ids.length} key${ids.length === 1 ? '' : 's'} started${tenants.length > 1 ? ` (one job across ${tenants.length} tenants, ${items.length} keys)` : ''}.`
      })
    }
    run(job)
    return view(job)
  }

  return {
    start: (tenant: string, ids: string[], reason?: string) =>
      startItems(
        ids.map((id) => ({ tenant, id })),
        reason,
        true
      ),
    /** One job over keys of several tenants; each tenant is paced by its own headroom, in parallel. */
    startAcross: (items: readonly BulkItem[], reason?: string) => startItems(items, reason, false),
    status: (jobId: string) => view(get(jobId)),
    cancel(jobId: string) {
      const job = get(jobId)
      job.cancelled = true
      for (const q of job.queues.values()) q.length = 0
      return view(job)
    },
    retryFailed(jobId: string) {
      const job = get(jobId)
      if (job.running) throw new CoreError('VALIDATION', 'This bulk revocation is still running; wait for it to finish or cancel it first.')
      const again = [...job.results.values()].filter((r) => r.state === 'failed' || r.state === 'skipped')
      for (const q of job.queues.values()) q.length = 0
      for (const r of again) {
        job.results.set(slot(r.tenant, r.id), { tenant: r.tenant, id: r.id, state: 'pending' })
        job.queues.get(r.tenant)!.push(r.id)
      }
      job.cancelled = false
      job.attempts.clear()
      if (again.length) run(job)
      return view(job)
    },
    /** The tenant was removed: its jobs are cancelled and no longer known. */
    forgetTenant(tenant: string) {
      for (const job of [...jobs.values()]) {
        if (!job.tenants.includes(tenant)) continue
        // Nothing more is sent for the removed tenant; a job that spans others goes on with them.
        job.queues.get(tenant)?.splice(0)
        if (job.tenants.length === 1) {
          job.cancelled = true
          jobs.delete(job.jobId)
        }
      }
    },
    /** Ids of the jobs known for a tenant. */
    jobsOf: (tenant: string) => [...jobs.values()].filter((j) => j.tenants.includes(tenant)).map((j) => j.jobId),
    /** Resolves when the job stops (tests, shutdown). */
    settled: (jobId: string) => get(jobId).running ?? Promise.resolve(),
    async dispose() {
      for (const job of jobs.values()) {
        job.cancelled = true
        for (const q of job.queues.values()) q.length = 0
      }
      await Promise.all([...jobs.values()].map((j) => j.running))
    }
  }
}

export type BulkRevoker = ReturnType<typeof createBulkRevoker>

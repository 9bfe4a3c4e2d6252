import { randomUUID } from 'node:crypto'
import type { BulkJob } from '../../../shared/contract'
import type { ErrorCode } from '../../../shared/errors'
import { CoreError, toAppError } from '../errors'
import type { Scheduler } from '../ratelimit/scheduler'
import type { TenantSessions } from '../tenants/sessions'

type Result = BulkJob['results'][number]

interface Job {
  jobId: string
  tenant: string
  results: Map<string, Result>
  queue: string[]
  cancelled: boolean
  running: Promise<void> | null
  attempts: Map<string, number>
}

/** Revocations in flight per job; the scheduler still paces them against the tenant's headroom. */
const WIDTH = 2
/** A 429 puts the key back in the queue (the scheduler waits out Retry-After); this bounds it. */
const MAX_RATE_LIMITED_TRIES = 5
const KEEP_FINISHED_JOBS = 20

/**
 * Bulk revocation as a job the UI polls: paced as background work (never spends the reserve,
 * waits out 429s), cancellable, with a result per key. A key that was revoked is never sent again.
 */
export function createBulkRevoker(deps: {
  sessions: TenantSessions
  scheduler: Scheduler
  onRevoked?: (tenant: string, id: string) => Promise<void>
}) {
  const jobs = new Map<string, Job>()

  function view(job: Job): BulkJob {
    const results = [...job.results.values()]
    const count = (s: Result['state']) => results.filter((r) => r.state === s).length
    const pacing = deps.scheduler.state(job.tenant)
    const pending = count('pending')
    return {
      jobId: job.jobId,
      tenant: job.tenant,
      total: results.length,
      revoked: count('revoked'),
      failed: count('failed'),
      pending,
      cancelled: job.cancelled,
      finished: job.running === null,
      waitingUntil: job.running ? pacing.waitingUntil : null,
      waitingReason: job.running ? pacing.reason : null,
      results
    }
  }

  async function revokeOne(job: Job, id: string) {
    try {
      // Inside the try: a tenant removed or a keychain locked mid-job is a per-key failure.
      const { client } = await deps.sessions.open(job.tenant)
      await client.revokeKey(id, { kind: 'background' })
      job.results.set(id, { id, state: 'revoked' })
      await deps.onRevoked?.(job.tenant, id).catch(() => {})
    } catch (err) {
      const e = toAppError(err)
      const tries = (job.attempts.get(id) ?? 0) + 1
      job.attempts.set(id, tries)
      if (e.code === 'RATE_LIMITED' && tries < MAX_RATE_LIMITED_TRIES && !job.cancelled) {
        job.queue.unshift(id)
        return
      }
      const message =
        e.code === 'OFFLINE' || e.code === 'TIMEOUT'
          ? `The revocation may not have been applied (${e.code === 'OFFLINE' ? 'connection lost' : 'no answer in time'}); retry to make sure — revoking twice is safe.`
          : e.message
      job.results.set(id, { id, state: 'failed', code: e.code as ErrorCode, message })
    }
  }

  function run(job: Job) {
    const worker = async () => {
      while (!job.cancelled) {
        const id = job.queue.shift()
        if (id === undefined) return
        await revokeOne(job, id)
      }
    }
    job.running = Promise.allSettled(Array.from({ length: WIDTH }, worker)).then(() => {
        for (const [id, r] of job.results) if (r.state === 'pending') job.results.set(id, { id, state: 'skipped', message: 'Cancelled before it was sent.' })
        job.running = null
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

  return {
    async start(tenant: string, ids: string[]): Promise<BulkJob> {
      await deps.sessions.open(tenant) // fail fast on an unknown tenant or a locked keychain
      prune()
      const job: Job = {
        jobId: randomUUID(),
        tenant,
        results: new Map(ids.map((id) => [id, { id, state: 'pending' as const }])),
        queue: [...ids],
        cancelled: false,
        running: null,
        attempts: new Map()
      }
      jobs.set(job.jobId, job)
      run(job)
      return view(job)
    },
    status: (jobId: string) => view(get(jobId)),
    cancel(jobId: string) {
      const job = get(jobId)
      job.cancelled = true
      job.queue.length = 0
      return view(job)
    },
    retryFailed(jobId: string) {
      const job = get(jobId)
      if (job.running) throw new CoreError('VALIDATION', 'This bulk revocation is still running; wait for it to finish or cancel it first.')
      const again = [...job.results.values()].filter((r) => r.state === 'failed' || r.state === 'skipped').map((r) => r.id)
      for (const id of again) job.results.set(id, { id, state: 'pending' })
      job.queue = again
      job.cancelled = false
      job.attempts.clear()
      if (again.length) run(job)
      return view(job)
    },
    /** The tenant was removed: its jobs are cancelled and no longer known. */
    forgetTenant(tenant: string) {
      for (const job of [...jobs.values()]) {
        if (job.tenant !== tenant) continue
        job.cancelled = true
        job.queue.length = 0
        jobs.delete(job.jobId)
      }
    },
    /** Ids of the jobs known for a tenant. */
    jobsOf: (tenant: string) => [...jobs.values()].filter((j) => j.tenant === tenant).map((j) => j.jobId),
    /** Resolves when the job stops (tests, shutdown). */
    settled: (jobId: string) => get(jobId).running ?? Promise.resolve(),
    async dispose() {
      for (const job of jobs.values()) {
        job.cancelled = true
        job.queue.length = 0
      }
      await Promise.all([...jobs.values()].map((j) => j.running))
    }
  }
}

export type BulkRevoker = ReturnType<typeof createBulkRevoker>

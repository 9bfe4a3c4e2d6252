import { UNLOCK_IDLE_MS, type Unlock } from '../../../shared/tenants'
import type { EmitEvent } from '../events/bus'
import type { Journal } from '../journal/journal'
import type { Logger } from '../log'

/** Why an unlock ended, as the journal says it. */
export type UnlockEnd = 'lock-now' | 'time-up' | 'idle' | 'quit' | 'removed'
const END_WORDS: Record<UnlockEnd, string> = {
  'lock-now': 'locked by the operator (Lock now)',
  'time-up': 'its time was up',
  idle: `nothing was done for ${UNLOCK_IDLE_MS / 60_000} minutes`,
  quit: 'KeyDesk quit',
  removed: 'the tenant was removed'
}

export interface UnlockDeps {
  journal: Pick<Journal, 'record'>
  log: Logger
  now: () => number
  /** How often ended unlocks are looked for, so their end is journaled on time (default 5 s). */
  sweepEveryMs?: number
  /** Tells the renderer an unlock started or ended, whatever ended it (events/bus.ts). */
  emit?: EmitEvent
}

/**
 * Unlocks of read-only tenants' writes. Held in main's memory only: nothing on disk can hold one
 * open, and a restart ends them all. Each is for one tenant, ends by itself (its time, or idle
 * for UNLOCK_IDLE_MS), and its start and end are journal entries carrying its reason.
 */
export function createUnlocks(d: UnlockDeps) {
  const open = new Map<string, Unlock>()

  async function end(tenant: string, why: UnlockEnd): Promise<boolean> {
    const u = open.get(tenant)
    if (!u) return false
    open.delete(tenant)
    d.emit?.({ type: 'unlock.changed', tenant, unlocked: false })
    await d.journal.record({
      tenant,
      tenantLabel: u.label,
      action: 'tenant.lock',
      outcome: 'ok',
      reason: u.reason,
      detail: `Writes locked again: ${END_WORDS[why]}.`
    })
    return true
  }

  /** Ends every unlock past its time or idle; returns once their ends are journaled. */
  async function sweep(): Promise<void> {
    const t = d.now()
    for (const u of [...open.values()]) {
      if (t >= u.until) await end(u.tenant, 'time-up')
      else if (t >= u.idleUntil) await end(u.tenant, 'idle')
    }
  }

  let sweeping: Promise<void> | null = null
  const tick = () => {
    if (sweeping || !open.size) return
    sweeping = sweep()
      .catch((err) => d.log.warn('unlocks: sweep failed', err))
      .finally(() => (sweeping = null))
  }
  const timer = setInterval(tick, d.sweepEveryMs ?? 5_000)
  timer.unref?.()

  return {
    /** Unlocks the tenant's writes for `minutes` (the caller checked 5, 15 or 30); an unlock already held is replaced. */
    async start(tenant: string, label: string, reason: string, minutes: number): Promise<Unlock> {
      await sweep()
      const t = d.now()
      const u: Unlock = { tenant, label, reason, startedAt: t, until: t + minutes * 60_000, idleUntil: t + UNLOCK_IDLE_MS }
      open.set(tenant, u)
      d.emit?.({ type: 'unlock.changed', tenant, unlocked: true })
      await d.journal.record({
        tenant,
        tenantLabel: label,
        action: 'tenant.unlock',
        outcome: 'ok',
        reason,
        detail: `Writes unlocked for ${minutes} minutes.`
      })
      return { ...u }
    },
    /** The tenant's unlock now, or null (an ended one is ended and journaled first). */
    async active(tenant: string): Promise<Unlock | null> {
      await sweep()
      const u = open.get(tenant)
      return u ? { ...u } : null
    },
    async list(): Promise<Unlock[]> {
      await sweep()
      return [...open.values()].map((u) => ({ ...u }))
    },
    /** The operator did something in KeyDesk (a write, a key press): every unlock's idle clock restarts. */
    async touch(): Promise<void> {
      await sweep()
      const t = d.now()
      for (const u of open.values()) u.idleUntil = t + UNLOCK_IDLE_MS
    },
    end,
    /** KeyDesk quits: every unlock ends, journaled. */
    async dispose(): Promise<void> {
      clearInterval(timer)
      await sweeping
      for (const tenant of [...open.keys()]) await end(tenant, 'quit')
    }
  }
}

export type Unlocks = ReturnType<typeof createUnlocks>

import { DAY_MS, EXPIRING_CATEGORY, EXPIRY_WINDOWS_DAYS, type ExpiryWindow, type RadarSettings } from '../../../shared/radar'
import type { TenantProfile } from '../../../shared/tenants'
import type { Logger } from '../log'
import type { NotifierPort } from '../ports'
import type { RadarStore } from '../store/radar'

interface Crossing {
  id: string
  name: string
  threshold: ExpiryWindow
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
const days = (d: number) => plural(d, 'day')

/** The tightest window a key is in: 0.5 days left → 1, 3 days → 7, 20 days → 30. */
export function thresholdFor(msLeft: number): ExpiryWindow | null {
  for (const d of EXPIRY_WINDOWS_DAYS) if (msLeft <= d * DAY_MS) return d
  return null
}

function names(list: readonly Crossing[]): string {
  const shown = list.slice(0, 3).map((c) => c.name)
  return list.length > 3 ? `${shown.join(', ')} and ${list.length - 3} more` : shown.join(', ')
}

/**
 * Desktop notifications when keys come within 30, 7 and 1 day(s) of expiry.
 * Each key and threshold is notified once, remembered in the store (`expiry_notices`); a key
 * first seen 12 hours before expiry gets the 1-day notice only, and 7 and 30 are marked with it.
 * Batched per tenant. The first check of a run that finds anything sends one catch-up
 * notification summarising every tenant instead (what crossed a threshold while KeyDesk was
 * closed). Environments whose rules have `notifyExpiry: false` are skipped and nothing is marked,
 * so turning them on later notifies what is then due.
 */
export function createExpiryNotifications(d: {
  radar: RadarStore
  profiles: () => Promise<TenantProfile[]>
  settings: () => Promise<{ radar: RadarSettings }>
  notifier: NotifierPort
  now: () => number
  log: Logger
}) {
  let caughtUp = false

  async function check(): Promise<{ notifications: number; keys: number }> {
    const now = d.now()
    const { radar: rules } = await d.settings()
    const due: { profile: TenantProfile; crossings: Crossing[] }[] = []
    for (const profile of await d.profiles()) {
      if (!rules[profile.environment].notifyExpiry) continue
      const candidates = await d.radar.expiry.candidates(profile.id, now)
      if (!candidates.length) continue
      const notified = await d.radar.expiry.notified(profile.id)
      const crossings: Crossing[] = []
      for (const c of candidates) {
        const threshold = thresholdFor(c.expires_ms - now)
        if (threshold === null || notified.get(c.id)?.has(threshold)) continue
        crossings.push({ id: c.id, name: c.name, threshold })
      }
      if (crossings.length) due.push({ profile, crossings })
    }
    // Remembered before anything is shown: a store that cannot write must not cause repeats.
    await d.radar.expiry.mark(
      due.flatMap(({ profile, crossings }) =>
        crossings.map((c) => ({ tenant: profile.id, keyId: c.id, thresholds: EXPIRY_WINDOWS_DAYS.filter((t) => t >= c.threshold) }))
      ),
      now
    )
    const catchUp = !caughtUp
    caughtUp = true
    if (!due.length) return { notifications: 0, keys: 0 }
    const keys = due.reduce((n, t) => n + t.crossings.length, 0)
    if (catchUp) {
      const widest = Math.max(...due.flatMap((t) => t.crossings.map((c) => c.threshold))) as ExpiryWindow
      const lines = due.map(({ profile, crossings }) => `${profile.label}: ${breakdown(crossings)}`)
      d.notifier.notify(`${plural(keys, 'key')} came close to expiry while KeyDesk was closed`, lines.join('; '), {
        action: { kind: 'radar', category: EXPIRING_CATEGORY[widest], ...(due.length === 1 && { tenant: due[0]!.profile.id }) }
      })
      return { notifications: 1, keys }
    }
    for (const { profile, crossings } of due) {
      const widest = Math.max(...crossings.map((c) => c.threshold)) as ExpiryWindow
      const title = `${plural(crossings.length, 'key')} in ${profile.label} ${crossings.length === 1 ? 'expires' : 'expire'} within ${days(widest)}`
      d.notifier.notify(title, `${breakdown(crossings)}: ${names(crossings)}`, {
        action: { kind: 'radar', category: EXPIRING_CATEGORY[widest], tenant: profile.id }
      })
    }
    return { notifications: due.length, keys }
  }

  return {
    check,
    /** True once a check has run in this process (the next ones are no longer catch-ups). */
    caughtUp: () => caughtUp
  }
}

function breakdown(crossings: readonly Crossing[]): string {
  return EXPIRY_WINDOWS_DAYS.map((t) => [t, crossings.filter((c) => c.threshold === t).length] as const)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} within ${days(t)}`)
    .join(', ')
}

export type ExpiryNotifications = ReturnType<typeof createExpiryNotifications>

import type { HeldReason } from '../../../shared/campaigns'

/** What the watch knows about one old key and its replacement at a check. */
export interface Evidence {
  now: number
  /** The old key's last use as MeshQu reports it (epoch ms), or null: never used. */
  oldLastUsedAt: number | null
  /** The old key is already revoked (by someone else, or by an earlier run of this campaign). */
  oldRevoked: boolean
  /** The first last-use the watch saw on the replacement, or null: not used yet. */
  newFirstUsedAt: number | null
  /** The replacement is gone (revoked or deleted outside KeyDesk). */
  newGone: boolean
  quietWindowMs: number
  deadlineAt: number
  /** How fine-grained `last_used_at` is assumed to be: a use may show up to this late. */
  granularityMs: number
  /** How often the watch looks at most (it never looks more often than `granularityMs`). */
  checkEveryMs: number
}

export type Decision =
  | { kind: 'revoke'; evidence: string }
  | { kind: 'already-revoked'; evidence: string }
  | { kind: 'hold'; reason: HeldReason; evidence: string }
  | { kind: 'wait'; nextCheckAt: number; evidence: string }

/** "26 h", "3 min", "12 s": how long ago, for the journal's evidence sentence. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 120) return `${s} s`
  const m = Math.round(s / 60)
  if (m < 120) return `${m} min`
  const h = Math.round(m / 60)
  if (h < 72) return `${h} h`
  return `${Math.round(h / 24)} d`
}

/**
 * The campaign's rule, one key at a time. The old key is revoked only when both hold:
 * - the replacement has been used (a service switched to it);
 * - the old key has not been used for the quiet window W, counted from its last use plus the
 *   granularity of `last_used_at` (a use just before the last write may not show yet).
 * At the deadline a key that does not meet both is held, never revoked: "still in use" when the
 * old key was used within W, else "replacement unused". Otherwise the next check is planned: no
 * sooner than the evidence can change (the granularity), no later than the moment the old key's
 * quiet window would be over, nor the deadline.
 */
export function decide(e: Evidence): Decision {
  const oldLast = e.oldLastUsedAt === null ? 'old key never used' : `old key last used ${ago(e.now - e.oldLastUsedAt)} ago`
  const newFirst = e.newFirstUsedAt === null ? 'new key not used yet' : `new key first used ${ago(e.now - e.newFirstUsedAt)} ago`
  const evidence = `${oldLast}; ${newFirst}`
  if (e.oldRevoked) return { kind: 'already-revoked', evidence: `old key already revoked; ${newFirst}` }
  const quietSince = e.oldLastUsedAt === null ? -Infinity : e.oldLastUsedAt + e.granularityMs
  const quietEnough = e.now - quietSince >= e.quietWindowMs
  const newUsed = e.newFirstUsedAt !== null && !e.newGone
  if (newUsed && quietEnough) return { kind: 'revoke', evidence }
  if (e.now >= e.deadlineAt) {
    const stillInUse = !quietEnough
    return { kind: 'hold', reason: stillInUse ? 'still-in-use' : 'replacement-unused', evidence }
  }
  const step = Math.max(e.granularityMs, e.checkEveryMs)
  let next = e.now + step
  // Exactly when the quiet window ends (if the replacement is in use): revoked within one check after W.
  if (newUsed && Number.isFinite(quietSince)) next = Math.min(next, Math.max(e.now + e.granularityMs, quietSince + e.quietWindowMs))
  return { kind: 'wait', nextCheckAt: Math.min(next, e.deadlineAt), evidence }
}

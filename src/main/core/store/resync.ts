import type { ApiKey } from '../../../shared/meshqu'
import { keyStatus } from '../../../shared/key-view'

/** What changed between the fleet store and the fresh list: "3 keys added, 1 revoked, 2 expired". */
export function diffKeyLists(before: readonly ApiKey[], after: readonly ApiKey[], now: number) {
  const old = new Map(before.map((k) => [k.id, k]))
  let added = 0
  let revoked = 0
  let expired = 0
  for (const k of after) {
    const prev = old.get(k.id)
    old.delete(k.id)
    if (!prev) {
      added++
      continue
    }
    const was = keyStatus(prev, now)
    const is = keyStatus(k, now)
    if (is === 'revoked' && was !== 'revoked') revoked++
    else if (is === 'expired' && was !== 'expired') expired++
  }
  return { added, revoked, expired, removed: old.size }
}

export function describeChanges(c: ReturnType<typeof diffKeyLists>): string {
  const parts = [
    c.added && `${c.added} key${c.added === 1 ? '' : 's'} added`,
    c.revoked && `${c.revoked} revoked`,
    c.expired && `${c.expired} expired`,
    c.removed && `${c.removed} no longer listed`
  ].filter(Boolean)
  return parts.length ? parts.join(', ') : 'no changes'
}

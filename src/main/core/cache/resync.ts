import type { ApiKey } from '../../../shared/meshqu'
import { keyStatus } from '../../../shared/key-view'

/** What changed between the offline snapshot and the fresh list: "3 keys added, 1 revoked, 2 expired". */
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

/**
 * Writes whose outcome is unknown because the connection dropped mid-way. They are checked
 * against the next fresh list: a revoke is confirmed by the key being revoked, a create by a key
 * of that name created after the attempt.
 */
export interface UncertainWrite {
  kind: 'revoke' | 'create'
  keyId?: string
  name: string
  at: number
}

export function createUncertainWrites() {
  const pending = new Map<string, UncertainWrite[]>()
  return {
    add(tenant: string, w: UncertainWrite) {
      pending.set(tenant, [...(pending.get(tenant) ?? []), w])
    },
    /** Checks this tenant's uncertain writes against a fresh list; returns one sentence each. */
    settle(tenant: string, keys: readonly ApiKey[]): string[] {
      const list = pending.get(tenant)
      if (!list?.length) return []
      pending.delete(tenant)
      return list.map((w) => {
        if (w.kind === 'revoke') {
          const k = keys.find((x) => x.id === w.keyId)
          return k?.revoked_at ? `Revocation of "${w.name}" was applied.` : `Revocation of "${w.name}" was NOT applied; revoke it again.`
        }
        const made = keys.some((x) => x.name === w.name && Date.parse(x.created_at) >= w.at - 60_000)
        return made
          ? `"${w.name}" was created while the connection dropped; its key was never shown, so revoke it and create a new one.`
          : `"${w.name}" was not created.`
      })
    }
  }
}

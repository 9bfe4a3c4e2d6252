import { EXPIRING_WITHIN_MS, KEY_STATUSES, keyStatus, sortOrder, type KeyIndexEntry, type KeySort, type KeyStatus } from '../../../../shared/key-view'
import type { ApiKey } from '../../../../shared/meshqu'

/**
 * What the keys view derives from a tenant's list (status counts, the sorted search index, keys by
 * id), kept per list: switching back to a tenant whose list is cached finds it ready instead of
 * recounting, re-sorting and re-indexing 10,000 keys. Keyed by the list's identity (React Query
 * hands out a new array whenever the list changes; a patched list is a new array too), so nothing
 * is ever served for a list it was not built from, and a list dropped from the cache takes its
 * entry with it (WeakMap).
 *
 * Statuses depend on the clock, but only at each key's two boundaries (7 days before expiry, and
 * expiry): everything built at `now` holds, unchanged, until the next boundary. A later (or
 * earlier) clock inside that span reuses it; past it, it is built again.
 */
export interface KeyListView {
  /** How many keys each status filter shows (countByFilter). */
  counts: Record<KeyStatus, number>
  /** The list in `sort` order, prepared for filterIndex (buildKeyIndex(sortKeys(keys, sort, now), now)). */
  index: KeyIndexEntry[]
  byId: ReadonlyMap<string, ApiKey>
}

interface Span {
  /** Statuses hold for now in [from, until). */
  from: number
  until: number
  entries: KeyIndexEntry[]
  counts: Record<KeyStatus, number>
  sorted: { sort: KeySort; index: KeyIndexEntry[] } | null
}

interface Entry {
  byId: Map<string, ApiKey> | null
  span: Span | null
}

const views = new WeakMap<readonly ApiKey[], Entry>()

/** The span of clock time around `now` in which no key of the list changes status. */
export function statusSpan(keys: readonly ApiKey[], now: number): { from: number; until: number } {
  let from = -Infinity
  let until = Infinity
  for (const k of keys) {
    if (k.expires_at === null || k.revoked_at !== null) continue
    const at = Date.parse(k.expires_at)
    if (!Number.isFinite(at)) continue
    for (const edge of [at - EXPIRING_WITHIN_MS, at]) {
      if (edge <= now) from = Math.max(from, edge)
      else until = Math.min(until, edge)
    }
  }
  return { from, until }
}

function buildSpan(keys: readonly ApiKey[], now: number): Span {
  const counts = Object.fromEntries(KEY_STATUSES.map((s) => [s, 0])) as Record<KeyStatus, number>
  const entries = keys.map((key) => {
    const status = keyStatus(key, now)
    counts[status]++
    return { key, status, hay: `${key.name}\n${key.key_preview}\n${key.id}`.toLowerCase() }
  })
  counts.active += counts.expiring
  return { ...statusSpan(keys, now), entries, counts, sorted: null }
}

export function keyListView(keys: readonly ApiKey[], sort: KeySort, now: number): KeyListView {
  let entry = views.get(keys)
  if (!entry) views.set(keys, (entry = { byId: null, span: null }))
  let span = entry.span
  if (!span || now < span.from || now >= span.until) entry.span = span = buildSpan(keys, now)
  // One sorted index per list (the sort is the same for every tenant): enough for switching back.
  if (!span.sorted || span.sorted.sort.column !== sort.column || span.sorted.sort.direction !== sort.direction) {
    const entries = span.entries
    span.sorted = { sort, index: sortOrder(keys, sort, now).map((i) => entries[i]!) }
  }
  entry.byId ??= new Map(keys.map((k) => [k.id, k]))
  return { counts: span.counts, index: span.sorted.index, byId: entry.byId }
}

import type { ApiKey } from './meshqu'
import type { Scope } from './scopes'

/**
 * How the keys table sees a key: status derivation, search, filters and sorting. Pure functions,
 * shared by the renderer and by main's cross-tenant search, so both agree on what "expiring" means.
 */
export const KEY_STATUSES = ['active', 'expiring', 'expired', 'revoked'] as const
export type KeyStatus = (typeof KEY_STATUSES)[number]

export const EXPIRING_WITHIN_MS = 7 * 24 * 60 * 60 * 1000

export function keyStatus(key: ApiKey, now: number): KeyStatus {
  if (key.revoked_at !== null || (!key.is_active && key.expires_at === null)) return 'revoked'
  if (key.expires_at !== null) {
    const at = Date.parse(key.expires_at)
    if (at <= now) return 'expired'
    if (at - now <= EXPIRING_WITHIN_MS) return 'expiring'
  }
  if (!key.is_active) return 'revoked'
  return 'active'
}

/** A key MeshQu no longer accepts for good: nothing (single or bulk) can revoke it again. */
export const isRevoked = (key: ApiKey, now: number): boolean => key.revoked_at !== null || keyStatus(key, now) === 'revoked'

/**
 * The admin key KeyDesk itself uses for this tenant (matched by preview, the only part of it the
 * tenant profile keeps). Revoking it locks KeyDesk out of the tenant, so it is flagged everywhere
 * and never revoked in bulk.
 */
export function isOwnAdminKey(key: Pick<ApiKey, 'key_preview'>, tenant: { adminKeyPreview: string | null }): boolean {
  return tenant.adminKeyPreview !== null && key.key_preview === tenant.adminKeyPreview
}

/** Whether a key may be ticked for bulk revocation: live, and not KeyDesk's own admin key. */
export function isSelectableForBulk(key: ApiKey, tenant: { adminKeyPreview: string | null }, now: number): boolean {
  return !isRevoked(key, now) && !isOwnAdminKey(key, tenant)
}

/**
 * Whether a key shows under a status filter. "Active" means every usable key, so it includes the
 * live keys expiring within 7 days ("select all Active" must get them); the other filters match
 * their status exactly.
 */
export function matchesStatus(filter: KeyStatus, status: KeyStatus): boolean {
  return filter === status || (filter === 'active' && status === 'expiring')
}

/** How many keys each status filter shows (Active counts the expiring ones too). */
export function countByFilter(keys: readonly ApiKey[], now: number): Record<KeyStatus, number> {
  return filterCounts(countByStatus(keys, now))
}

/** Keys per status (countByStatus, or the store's count of them) as the status filters show them. */
export function filterCounts(c: Readonly<Record<KeyStatus, number>>): Record<KeyStatus, number> {
  return { ...c, active: c.active + c.expiring }
}

export interface KeyFilter {
  text?: string
  statuses?: readonly KeyStatus[]
  /** Keys holding every one of these scopes. */
  scopes?: readonly Scope[]
}

export const SORT_COLUMNS = ['name', 'key_preview', 'status', 'created_at', 'expires_at', 'last_used_at', 'created_by'] as const
export type SortColumn = (typeof SORT_COLUMNS)[number]
export interface KeySort {
  column: SortColumn
  direction: 'asc' | 'desc'
}

/**
 * The keys view's order until the operator picks another: newest first. The store reads a cold
 * switch's first screenful in this order (fleet-store.ts, `head`); both must change together.
 */
export const DEFAULT_SORT: KeySort = Object.freeze({ column: 'created_at', direction: 'desc' })

export const isDefaultSort = (sort: KeySort): boolean => sort.column === DEFAULT_SORT.column && sort.direction === DEFAULT_SORT.direction

/** Matches name, preview or id, case-insensitively; every whitespace-separated term must match. */
export function matchesText(key: ApiKey, text: string): boolean {
  const terms = text.toLowerCase().split(/\s+/).filter(Boolean)
  if (terms.length === 0) return true
  const hay = `${key.name}\n${key.key_preview}\n${key.id}`.toLowerCase()
  return terms.every((t) => hay.includes(t))
}

export function filterKeys(keys: readonly ApiKey[], filter: KeyFilter, now: number): ApiKey[] {
  return filterIndex(buildKeyIndex(keys, now), filter)
}

const STATUS_ORDER: Record<KeyStatus, number> = { active: 0, expiring: 1, expired: 2, revoked: 3 }

// One collator for every comparison: localeCompare with options builds a new one per call.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true })

/** Stable sort; missing dates (never expires, never used) sort after real ones in either direction. */
export function sortKeys(keys: readonly ApiKey[], sort: KeySort, now: number): ApiKey[] {
  return sortOrder(keys, sort, now).map((i) => keys[i]!)
}

/** sortKeys as positions into `keys` (the same order), for callers that keep per-position data. */
export function sortOrder(keys: readonly ApiKey[], sort: KeySort, now: number): number[] {
  const dir = sort.direction === 'asc' ? 1 : -1
  const value = (k: ApiKey): string | number | null => {
    switch (sort.column) {
      case 'status':
        return STATUS_ORDER[keyStatus(k, now)]
      case 'created_at':
      case 'expires_at':
      case 'last_used_at': {
        const v = k[sort.column]
        return v === null ? null : Date.parse(v)
      }
      default:
        return (k[sort.column] ?? null) as string | null
    }
  }
  return keys
    .map((k, i) => ({ i, v: value(k) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : collator.compare(String(a.v), String(b.v))
      return c !== 0 ? c * dir : a.i - b.i
    })
    .map((x) => x.i)
}

export function countByStatus(keys: readonly ApiKey[], now: number): Record<KeyStatus, number> {
  const counts: Record<KeyStatus, number> = { active: 0, expiring: 0, expired: 0, revoked: 0 }
  for (const k of keys) counts[keyStatus(k, now)]++
  return counts
}

/**
 * A list prepared once for fast filtering: status and a lowercase haystack per key, computed when
 * the list (or the clock's minute) changes, not on every keystroke.
 */
export interface KeyIndexEntry {
  key: ApiKey
  status: KeyStatus
  hay: string
}

export function buildKeyIndex(keys: readonly ApiKey[], now: number): KeyIndexEntry[] {
  return keys.map((key) => ({ key, status: keyStatus(key, now), hay: `${key.name}\n${key.key_preview}\n${key.id}`.toLowerCase() }))
}

/** Filters a prepared index (order kept): every term must match, and all given scopes be held. */
export function filterIndex(index: readonly KeyIndexEntry[], filter: KeyFilter): ApiKey[] {
  const statuses = filter.statuses?.length ? filter.statuses : null
  const scopes = filter.scopes ?? []
  const terms = (filter.text ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const out: ApiKey[] = []
  for (const e of index) {
    if (statuses && !statuses.some((f) => matchesStatus(f, e.status))) continue
    if (scopes.length && !scopes.every((s) => e.key.scopes.includes(s))) continue
    if (terms.length && !terms.every((t) => e.hay.includes(t))) continue
    out.push(e.key)
  }
  return out
}

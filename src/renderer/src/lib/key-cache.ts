import type { QueryClient } from '@tanstack/react-query'
import type { ApiKey } from '../../../shared/meshqu'
import { qk } from './query-keys'

/** The part of a cached key list (keys/queries' KeysData) a write patches. */
type CachedList = { data: { keys: ApiKey[] } }

/** Writes update the cached list in place: no re-listing of thousands of keys after one revoke. */
export function patchKeys(qc: QueryClient, tenant: string, fn: (keys: ApiKey[]) => ApiKey[]) {
  qc.setQueryData<CachedList>(qk.keys(tenant), (old) => (old ? { ...old, data: { ...old.data, keys: fn(old.data.keys) } } : old))
}
export const upsertKey = (qc: QueryClient, tenant: string, key: ApiKey) =>
  patchKeys(qc, tenant, (keys) => (keys.some((k) => k.id === key.id) ? keys.map((k) => (k.id === key.id ? key : k)) : [key, ...keys]))
/** Keys known revoked whose new state MeshQu did not send: revoked as of now, as main's store says. */
export function markRevoked(qc: QueryClient, tenant: string, ids: Iterable<string>) {
  const set = new Set(ids)
  const at = new Date().toISOString()
  patchKeys(qc, tenant, (keys) => keys.map((k) => (set.has(k.id) ? { ...k, revoked_at: k.revoked_at ?? at, is_active: false } : k)))
}

import { clipText, SERVER_PREVIEW_MAX, type ApiKey } from '../../../shared/meshqu'
import type { ScheduleRow } from '../store/schedule-table'

/**
 * Whether MeshQu's key under a scheduled id is still the key that was scheduled. An id is only a
 * name MeshQu gave: were it given again (a reset sandbox, a restored database, a server that
 * reuses ids), revoking it would revoke someone else's key. The preview and `created_at` kept at
 * scheduling time are compared with MeshQu's answer; what was not known then is not compared.
 * Returns why they differ, or null when they agree.
 */
export function identityMismatch(row: Pick<ScheduleRow, 'key_id' | 'key_preview' | 'key_created_at'>, key: ApiKey): string | null {
  const differences: string[] = []
  const preview = clipText(key.key_preview, SERVER_PREVIEW_MAX)
  if (row.key_preview !== null && preview !== row.key_preview) differences.push(`preview ${preview}, scheduled ${row.key_preview}`)
  if (row.key_created_at !== null && !sameInstant(key.created_at, row.key_created_at))
    differences.push(`created ${key.created_at}, scheduled ${row.key_created_at}`)
  if (differences.length === 0) return null
  return `MeshQu's key ${row.key_id} is not the key that was scheduled (${differences.join('; ')}). Not revoked; schedule the revoke again if this key should go too.`
}

/** The same time, however each side spelled it ("Z" or "+00:00", with or without milliseconds). */
function sameInstant(a: string, b: string): boolean {
  const x = Date.parse(a)
  const y = Date.parse(b)
  return Number.isNaN(x) || Number.isNaN(y) ? a === b : x === y
}

import { createHash } from 'node:crypto'
import type { JournalEntry, JournalVerify } from '../../../shared/journal'

/** The first entry's predecessor. */
export const GENESIS_HASH = '0'.repeat(64)

export type Chained = Omit<JournalEntry, 'hash'>

/**
 * The canonical serialization the hash covers: every field of the entry, `seq` included (so
 * renumbering shows), in a fixed order as a JSON array (no key-order or whitespace ambiguity).
 */
export function canonical(e: Chained): string {
  return JSON.stringify([
    e.seq,
    e.at,
    e.tenantId,
    e.tenantLabel,
    e.action,
    e.outcome,
    e.errorCode,
    e.keyId,
    e.keyName,
    e.keyPreview,
    e.reason,
    e.detail,
    e.jobId,
    e.refSeq
  ])
}

export function chainHash(prevHash: string, e: Chained): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(e)).digest('hex')
}

/**
 * Walks the entries in seq order. An edited entry breaks its own hash ('hash'); a deleted or
 * inserted one breaks the next entry's link to its predecessor ('link'). A truncated tail cannot
 * be seen from inside the file: compare `headHash` with one noted (or exported) earlier.
 */
export function verifyChain(rows: Iterable<Chained & { hash: string; prevHash: string }>): JournalVerify {
  let prev = GENESIS_HASH
  let checked = 0
  for (const row of rows) {
    checked++
    if (row.prevHash !== prev) return { intact: false, checked, firstBroken: { seq: row.seq, problem: 'link' }, headHash: null }
    if (chainHash(prev, row) !== row.hash) return { intact: false, checked, firstBroken: { seq: row.seq, problem: 'hash' }, headHash: null }
    prev = row.hash
  }
  return { intact: true, checked, firstBroken: null, headHash: checked ? prev : null }
}

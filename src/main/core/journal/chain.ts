import { createHash } from 'node:crypto'
import { VERIFY_BROKEN_MAX, type JournalEntry, type JournalVerify } from '../../../shared/journal'

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

/**
 * SQLite stores text as UTF-8, where a lone UTF-16 surrogate cannot exist: it comes back as
 * U+FFFD, and a hash taken over the JavaScript string would never match the stored row again.
 * Every text is made well-formed before it is hashed and stored, so both see the same characters.
 */
export function wellFormed<T extends Chained>(e: T): T {
  const out = { ...e }
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'string') (out as Record<string, unknown>)[k] = (v as string & { toWellFormed(): string }).toWellFormed()
  }
  return out
}

export function chainHash(prevHash: string, e: Chained): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(e)).digest('hex')
}

/** The chain's own answer; journal.verify adds what the keychain's anchor found. */
export type ChainCheck = Omit<JournalVerify, 'incidents'>

/**
 * Where a walk of the chain stands: the last hash seen and what broke so far. Plain data, so a
 * long journal is walked in parts (each part one call to the store's thread, other calls in
 * between) and the parts add up to the walk of the whole.
 */
export interface ChainWalk {
  prev: string
  checked: number
  broken: ChainCheck['broken']
  brokenCount: number
}

export const startWalk = (): ChainWalk => ({ prev: GENESIS_HASH, checked: 0, broken: [], brokenCount: 0 })

/**
 * Walks the entries in seq order and names every one that does not hold, not only the first, so
 * a break that was explained does not hide a later one. An edited entry breaks its own hash
 * ('hash'); a deleted or inserted one breaks its successor's link ('link'). After a break the
 * walk goes on from the row as stored, so each tampered row is named once. A truncated tail
 * cannot be seen from inside the file: that is the keychain anchor's job (store/trust.ts).
 */
export function walkChain(rows: Iterable<Chained & { hash: string; prevHash: string }>, from: ChainWalk = startWalk()): ChainWalk {
  const walk = { ...from, broken: [...from.broken] }
  const note = (seq: number, problem: 'hash' | 'link') => {
    walk.brokenCount++
    if (walk.broken.length < VERIFY_BROKEN_MAX) walk.broken.push({ seq, problem })
  }
  for (const row of rows) {
    walk.checked++
    if (row.prevHash !== walk.prev) note(row.seq, 'link')
    // A row whose link broke is still checked against the predecessor it names.
    if (chainHash(row.prevHash, row) !== row.hash) note(row.seq, 'hash')
    walk.prev = row.hash
  }
  return walk
}

/** The answer of a finished walk. */
export function endWalk(w: ChainWalk): ChainCheck {
  const intact = w.brokenCount === 0
  return { intact, checked: w.checked, broken: w.broken, brokenCount: w.brokenCount, headHash: intact && w.checked ? w.prev : null }
}

export function verifyChain(rows: Iterable<Chained & { hash: string; prevHash: string }>): ChainCheck {
  return endWalk(walkChain(rows))
}

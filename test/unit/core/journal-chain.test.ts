import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { chainHash, endWalk, GENESIS_HASH, verifyChain, walkChain, type Chained } from '../../../src/main/core/journal/chain'

function entry(seq: number, over: Partial<Chained> = {}): Chained {
  return {
    seq,
    at: 1_000 + seq,
    tenantId: 't1',
    tenantLabel: 'acme-prod',
    action: 'key.revoke',
    outcome: 'ok',
    errorCode: null,
    keyId: `k${seq}`,
    keyName: `key-${seq}`,
    keyPreview: 'mqu_live_...abcd',
    reason: null,
    detail: null,
    jobId: null,
    refSeq: null,
    ...over
  }
}

function chain(n: number) {
  let prev = GENESIS_HASH
  return Array.from({ length: n }, (_, i) => {
    const e = entry(i + 1)
    const hash = chainHash(prev, e)
    const row = { ...e, prevHash: prev, hash }
    prev = hash
    return row
  })
}

describe('journal hash chain', () => {
  it('verifies an intact chain and reports its head', () => {
    const rows = chain(5)
    expect(verifyChain(rows)).toEqual({ intact: true, checked: 5, broken: [], brokenCount: 0, headHash: rows[4]!.hash })
    expect(verifyChain([])).toEqual({ intact: true, checked: 0, broken: [], brokenCount: 0, headHash: null })
  })

  it('names the first edited entry (any field, including one set to null)', () => {
    for (const edit of [{ reason: 'changed' }, { outcome: 'failed' as const }, { keyPreview: null }, { at: 0 }, { seq: 99 }]) {
      const rows = chain(5)
      rows[2] = { ...rows[2]!, ...edit }
      expect(verifyChain(rows)).toMatchObject({ intact: false, broken: [{ seq: rows[2]!.seq, problem: 'hash' }] })
    }
  })

  it('names the entry after a deleted one, and a re-hashed edit breaks the next link', () => {
    const rows = chain(5)
    expect(verifyChain([...rows.slice(0, 2), ...rows.slice(3)])).toMatchObject({ intact: false, broken: [{ seq: 4, problem: 'link' }] })
    // Someone who edits an entry and recomputes its hash still breaks its successor's link.
    const forged = { ...rows[1]!, reason: 'covered up' }
    forged.hash = chainHash(forged.prevHash, forged)
    expect(verifyChain([rows[0]!, forged, ...rows.slice(2)])).toMatchObject({ intact: false, broken: [{ seq: 3, problem: 'link' }] })
  })

  it('distinguishes fields that would collide in a naive concatenation', () => {
    expect(chainHash(GENESIS_HASH, entry(1, { keyName: 'ab', reason: 'c' }))).not.toBe(
      chainHash(GENESIS_HASH, entry(1, { keyName: 'a', reason: 'bc' }))
    )
  })

  it('walked in parts of any size, with edits and deletions anywhere, says what one walk of the whole says', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 39 }), { maxLength: 3 }),
        fc.integer({ min: 1, max: 9 }),
        (n, edits, deletions, size) => {
          let rows = chain(n)
          for (const seq of edits) rows = rows.map((r) => (r.seq === seq ? { ...r, keyName: 'edited' } : r))
          rows = rows.filter((_, i) => !deletions.includes(i))
          let walk = walkChain([])
          for (let at = 0; at < rows.length; at += size) walk = walkChain(rows.slice(at, at + size), walk)
          expect(endWalk(walk)).toEqual(verifyChain(rows))
        }
      )
    )
  })
})

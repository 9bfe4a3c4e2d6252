import { rowsToCsv } from '../../../shared/export'
import { endWalk, startWalk } from '../journal/chain'
import type { JournalEntry } from '../../../shared/journal'
import type { Handlers } from '../router'
import type { FleetStore } from '../store/fleet-store'
import type { StoreTrust } from '../store/trust'

export interface JournalHandlerDeps {
  store: FleetStore
  /** What the keychain's anchor found about the file: a chain that holds inside an older copy is not intact. */
  trust: Pick<StoreTrust, 'incidents'>
  now: () => number
}

/** Every export column; `at` is also given as ISO time for people reading the CSV. */
const COLUMNS = [
  'seq',
  'time',
  'tenantLabel',
  'tenantId',
  'action',
  'outcome',
  'errorCode',
  'keyName',
  'keyPreview',
  'keyId',
  'reason',
  'detail',
  'jobId',
  'refSeq',
  'hash'
] as const

/** Entries checked per call to the store's thread. */
const VERIFY_PART = 5_000

/** An export holds at most this many entries (newest first); a filter narrows a larger journal. */
const EXPORT_MAX = 100_000

/**
 * Reading the journal: list, one key's entries, the chain check and exports. There is
 * deliberately no channel that edits or deletes an entry (append-only from the UI).
 */
export function journalHandlers(d: JournalHandlerDeps): Pick<Handlers, 'journal.list' | 'journal.forKey' | 'journal.verify' | 'journal.export'> {
  return {
    'journal.list': async (q) => ({ data: await d.store.journal.list(q) }),
    'journal.forKey': async ({ tenant, keyId, limit }) => ({ data: { entries: (await d.store.journal.list({ tenant, keyId, limit })).entries } }),
    'journal.verify': async () => {
      // In parts of VERIFY_PART entries: each part is one call to the store's thread, so a long
      // journal's check never keeps other store calls (a tenant's list, search) waiting long.
      let walk = startWalk()
      let afterSeq = 0
      for (;;) {
        const part = await d.store.journal.verifyPart(afterSeq, walk, VERIFY_PART)
        walk = part.walk
        afterSeq = part.lastSeq
        if (part.done) break
      }
      const chain = endWalk(walk)
      const incidents = d.trust.incidents()
      return { data: { ...chain, incidents, intact: chain.intact && incidents.length === 0 } }
    },
    'journal.export': async ({ format, ...filter }) => {
      const { entries } = await d.store.journal.list({ ...filter, limit: EXPORT_MAX })
      const stamp = new Date(d.now()).toISOString()
      const base = `keydesk-journal-${stamp.slice(0, 19).replace(/[:T]/g, '-')}`
      if (format === 'json') {
        return {
          data: {
            suggestedName: `${base}.json`,
            mimeType: 'application/json',
            content: `${JSON.stringify({ exportedAt: stamp, filter, count: entries.length, entries }, null, 2)}\n`,
            count: entries.length
          }
        }
      }
      const rows = entries.map((e: JournalEntry) => ({ ...e, time: new Date(e.at).toISOString() }))
      return { data: { suggestedName: `${base}.csv`, mimeType: 'text/csv', content: rowsToCsv(COLUMNS, rows), count: entries.length } }
    }
  }
}

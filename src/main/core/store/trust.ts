import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { StoreIncidentSchema, type StoreIncident } from '../../../shared/store-trust'
import type { Logger } from '../log'
import type { SecretStore } from '../tenants/secret-store'
import { STORE_ANCHOR_ACCOUNT } from './data-key'
import type { StoreMark } from './meta-table'

/**
 * The anchor: what the keychain remembers about the fleet store file, since anyone who can write
 * the data dir can put back an older copy of the file, or a new empty one, without the data key.
 * `head` is the file's identity, generation and journal head as last written (null: adopt the
 * next file opened); `incidents` are what opening found, kept until the operator acknowledges.
 */
const AnchorSchema = z.object({
  v: z.literal(1),
  head: z.object({ storeId: z.string(), generation: z.number(), seq: z.number(), hash: z.string().nullable() }).nullable(),
  incidents: z.array(StoreIncidentSchema).max(100)
})
type Anchor = z.infer<typeof AnchorSchema>

/** What the store reports at open: where it stands, and its journal entry at the anchor's seq. */
export interface OpenedMark {
  mark: StoreMark
  hashAtAnchor: string | null
}

/**
 * The file against the anchor. The file may be ahead of the anchor (KeyDesk stopped between
 * SQLite's commit and the keychain write, or writes came faster than the keychain took them):
 * that is no alarm as long as the entry the anchor names is still there, unchanged. Behind it,
 * or another file, is.
 */
export function judge(head: Anchor['head'], opened: OpenedMark): Pick<StoreIncident, 'kind' | 'detail'> | null {
  if (!head) return null
  const { mark } = opened
  if (mark.storeId !== head.storeId) {
    return {
      kind: 'replaced',
      detail: `The fleet store file is not the one KeyDesk last wrote (that one's journal had ${head.seq} entries, this one has ${mark.seq}): it was replaced, or removed and started afresh. Journal entries and scheduled revokes kept in the old file are not in this one.`
    }
  }
  if (mark.seq < head.seq || mark.generation < head.generation || (head.seq > 0 && opened.hashAtAnchor !== head.hash)) {
    return {
      kind: 'rolled-back',
      detail: `The fleet store file is an older copy than the one KeyDesk last wrote: its journal ends at entry ${mark.seq}, KeyDesk had written up to entry ${head.seq}. Entries written since are missing, and a scheduled revoke set or cancelled since may be as it was before.`
    }
  }
  return null
}

const HELD =
  'Scheduled revokes are held: the fleet store file is not the one KeyDesk last wrote, so a revoke cancelled since may be back. Look at the scheduled revokes, then acknowledge the notice to run them again.'

export interface StoreTrustDeps {
  secrets: SecretStore
  log: Logger
  now: () => number
}

/**
 * The one owner of the anchor in the keychain (account STORE_ANCHOR_ACCOUNT). Written when a
 * file is opened, after anchored writes (coalesced: one keychain write in flight, the newest head
 * wins, never one per statement), and when the operator acknowledges or sets a file aside.
 */
export function createStoreTrust(d: StoreTrustDeps) {
  let anchor: Anchor | null = null
  let loaded = false
  /** Whether an anchor existed before this KeyDesk first opened a store: a store has been kept under this keychain. */
  let existedBefore = false
  let ready = false
  let writing: Promise<void> | null = null
  let dirty = false

  async function load(): Promise<Anchor | null> {
    if (loaded) return anchor
    const stored = await d.secrets.get(STORE_ANCHOR_ACCOUNT)
    existedBefore = stored !== null
    if (stored !== null) {
      const parsed = AnchorSchema.safeParse(safeJson(stored))
      if (parsed.success) anchor = parsed.data
      else d.log.warn('fleet store: the anchor in the keychain could not be read; it is written again from the file')
    }
    loaded = true
    return anchor
  }

  function persist(): Promise<void> {
    dirty = true
    writing ??= (async () => {
      while (dirty) {
        dirty = false
        const text = JSON.stringify(anchor)
        await d.secrets
          .set(STORE_ANCHOR_ACCOUNT, text)
          .catch((err) => d.log.warn('fleet store: the anchor could not be written to the keychain', err))
      }
    })().finally(() => {
      writing = null
      if (dirty) void persist()
    })
    return writing
  }

  const record = (a: Partial<Anchor>) => {
    anchor = { v: 1, head: null, incidents: [], ...anchor, ...a }
  }

  return {
    /**
     * A file was opened: compares it with the anchor, records what does not match, and anchors
     * this file from now on. `firstStore` is true when no store was ever anchored in this keychain.
     */
    async opened(report: (anchoredSeq: number) => Promise<OpenedMark>): Promise<{ firstStore: boolean }> {
      const a = await load()
      const found = await report(a?.head?.seq ?? 0)
      const incident = judge(a?.head ?? null, found)
      const incidents = [...(a?.incidents ?? [])]
      if (incident) {
        incidents.push({ id: randomBytes(8).toString('hex'), at: d.now(), ...incident })
        d.log.warn(`fleet store: ${incident.detail}`)
      }
      record({ head: found.mark, incidents: incidents.slice(-100) })
      await persist()
      ready = true
      return { firstStore: !existedBefore }
    },

    /** An anchored write committed (a journal entry, a schedule set or cancelled). */
    advance(mark: StoreMark): void {
      if (!ready || !anchor) return
      const head = anchor.head
      if (head && head.storeId === mark.storeId && mark.generation <= head.generation) return
      record({ head: mark })
      void persist()
    },

    /** Resolves once the last keychain write has landed (shutting down). */
    flush: async (): Promise<void> => {
      while (writing) await writing
    },

    incidents: (): StoreIncident[] => [...(anchor?.incidents ?? [])],

    /** Why the scheduled-revoke runner must not run, or null. */
    held: (): string | null => (anchor?.incidents.some((i) => i.kind !== 'set-aside') ? HELD : null),

    async acknowledge(ids: readonly string[]): Promise<void> {
      await load()
      if (!anchor) return
      record({ incidents: anchor.incidents.filter((i) => !ids.includes(i.id)) })
      await persist()
    },

    /** The operator set a refused file aside: say so until acknowledged, and adopt the new file. */
    async setAside(detail: string): Promise<void> {
      await load()
      record({
        head: null,
        incidents: [...(anchor?.incidents ?? []), { id: randomBytes(8).toString('hex'), kind: 'set-aside' as const, at: d.now(), detail }].slice(-100)
      })
      ready = false
      await persist()
    }
  }
}

export type StoreTrust = ReturnType<typeof createStoreTrust>

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

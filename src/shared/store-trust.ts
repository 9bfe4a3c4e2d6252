import { z } from 'zod'

/**
 * What KeyDesk found about the fleet store file that the file itself cannot vouch for, checked
 * against the anchor in the keychain (docs/ARCHITECTURE.md, "Trust roots"). Each is reported by
 * store.status and journal.verify until the operator acknowledges it (store.acknowledge).
 *
 * rolled-back  the file is older than the one KeyDesk last wrote (its journal ends earlier, or an
 *              entry differs from the one anchored): an older copy was put back.
 * replaced     the file is not the store KeyDesk last wrote (another file, or a new empty one).
 * set-aside    the operator set an unreadable store aside and started a new one.
 */
export const StoreIncidentSchema = z.object({
  id: z.string().max(64),
  kind: z.enum(['rolled-back', 'replaced', 'set-aside']),
  at: z.number(),
  detail: z.string().max(1000)
})
export type StoreIncident = z.infer<typeof StoreIncidentSchema>

/**
 * Why the store refuses to open, when it does: the file cannot be opened with the keychain's key
 * (another key, or damage), it was written by a newer KeyDesk, or the keychain's entry is not a
 * key. The file is kept as it is; the way on is the operator's: update KeyDesk, restore the
 * keychain entry, or start a new store (store.startNew), which sets the file aside.
 */
export const StoreProblemSchema = z.enum(['unreadable', 'newer', 'key-damaged'])
export type StoreProblem = z.infer<typeof StoreProblemSchema>

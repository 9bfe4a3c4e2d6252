import { create } from 'zustand'
import type { DialogState } from '../lib/store'

/**
 * Warnings that must stay until the operator dismisses them ("revocation was NOT applied"): a
 * reply carries them once, and the next unrelated refetch would otherwise wipe them. UI state
 * only: sentences and ids, never a secret.
 */
export interface Notice {
  /** Same id, same notice: a warning repeated by a later reply is not shown twice. */
  id: string
  tenantId: string
  text: string
  action?: { label: string; dialog: Extract<DialogState, { kind: 'revoke' | 'create-key' }> }
}

/** Notices that belong to no tenant: what main said at start (a file set aside). */
export const APP_NOTICES = '*'

interface NoticeState {
  notices: Notice[]
  /** Ids dismissed this session: a reply that repeats one (every tenants.list does) does not bring it back. */
  dismissed: ReadonlySet<string>
  add(notices: Notice[]): void
  dismiss(id: string): void
}

export const useNotices = create<NoticeState>((set) => ({
  notices: [],
  dismissed: new Set(),
  add: (incoming) =>
    set((s) => {
      const fresh = incoming.filter(
        (n, i) => !s.dismissed.has(n.id) && !s.notices.some((o) => o.id === n.id) && incoming.findIndex((o) => o.id === n.id) === i
      )
      return fresh.length ? { notices: [...s.notices, ...fresh] } : s
    }),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id), dismissed: new Set(s.dismissed).add(id) }))
}))

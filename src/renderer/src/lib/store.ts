import { create } from 'zustand'
import { DEFAULT_SORT, type KeyFilter, type KeySort } from '../../../shared/key-view'

/** UI state only: never server data, never a secret. */
export type DialogState =
  | { kind: 'add-tenant' }
  | { kind: 'edit-tenant'; tenantId: string }
  | { kind: 'remove-tenant'; tenantId: string }
  | { kind: 'switcher' }
  | { kind: 'create-key' }
  | { kind: 'revoke'; keyId: string }
  | { kind: 'rotate'; keyId: string }
  | { kind: 'bulk-revoke'; keyIds: string[] }
  | { kind: 'headroom' }
  | { kind: 'search-all' }
  | { kind: 'journal' }
  | { kind: 'radar-settings' }
  | { kind: 'unlock'; tenantIds: string[] }
  | null

interface UiState {
  activeTenantId: string | null
  dialog: DialogState
  /** Where focus returns when the dialog closes. */
  returnFocus: HTMLElement | null
  /**
   * Set by closeDialog; app/Dialogs moves focus there once the <dialog> has left the page (while a
   * modal is open everything outside it is inert, so focusing earlier silently does nothing).
   */
  focusAfterClose: HTMLElement | null
  filter: KeyFilter
  sort: KeySort
  selectedKeyId: string | null
  checked: Set<string>
  /** Bumped by the `/` shortcut; the search box focuses itself when it changes. */
  searchFocusRequest: number
  requestSearchFocus(): void
  /** The bulk revocation whose results the keys view applies, even after its dialog closed. */
  bulkJob: { tenantId: string; jobId: string } | null
  setBulkJob(job: { tenantId: string; jobId: string } | null): void
  setActiveTenant(id: string | null): void
  openDialog(d: Exclude<DialogState, null>): void
  closeDialog(): void
  setFilter(f: Partial<KeyFilter>): void
  setSort(s: KeySort): void
  selectKey(id: string | null): void
  setChecked(ids: Set<string>): void
}

export const useUi = create<UiState>((set, get) => ({
  activeTenantId: null,
  dialog: null,
  returnFocus: null,
  focusAfterClose: null,
  filter: { text: '', statuses: [], scopes: [] },
  sort: DEFAULT_SORT,
  selectedKeyId: null,
  checked: new Set(),
  searchFocusRequest: 0,
  requestSearchFocus: () => set((s) => ({ searchFocusRequest: s.searchFocusRequest + 1 })),
  bulkJob: null,
  setBulkJob: (bulkJob) => set({ bulkJob }),
  // A tenant switch clears everything tied to the previous tenant's rows.
  setActiveTenant: (id) =>
    // One rule for every filter: another tenant starts unfiltered (search, status and scope), so
    // no filter from the last tenant hides keys in this one.
    set((s) =>
      s.activeTenantId === id ? s : { activeTenantId: id, selectedKeyId: null, checked: new Set(), filter: { text: '', statuses: [], scopes: [] } }
    ),
  // A dialog opened from another (Remove tenant from Tenant settings) returns focus where the first
  // one came from: the button inside the first dialog is gone by then.
  openDialog: (dialog) =>
    set((s) => ({
      dialog,
      returnFocus: s.dialog && s.returnFocus ? s.returnFocus : document.activeElement instanceof HTMLElement ? document.activeElement : null
    })),
  closeDialog: () => {
    const back = get().returnFocus
    set({ dialog: null, returnFocus: null, focusAfterClose: back })
  },
  setFilter: (f) => set((s) => ({ filter: { ...s.filter, ...f } })),
  setSort: (sort) => set({ sort }),
  selectKey: (selectedKeyId) => set({ selectedKeyId }),
  setChecked: (checked) => set({ checked })
}))

import type { TriageSession } from '../../../shared/triage'
import { create } from 'zustand'
import { DEFAULT_SORT, type KeyFilter, type KeySort } from '../../../shared/key-view'
import type { RadarKeyItem } from '../../../shared/contract'
import type { OutsideKind } from '../../../shared/radar'

/** A key picked for a write across tenants (the radar's selection), named for its confirmation. */
export interface AcrossItem {
  tenant: string
  tenantLabel: string
  id: string
  name: string
  preview: string | null
}

/**
 * UI state only: never server data, never a secret. Every write names the tenant it acts on
 * (`tenantId`): app/Dialogs hosts it for that tenant, whichever tenant is shown behind it, so a
 * write from the radar or from Search all never switches the active tenant.
 */
export type DialogState =
  | { kind: 'add-tenant' }
  | { kind: 'edit-tenant'; tenantId: string }
  | { kind: 'remove-tenant'; tenantId: string }
  | { kind: 'switcher' }
  | { kind: 'create-key'; tenantId: string }
  | { kind: 'revoke'; tenantId: string; keyId: string }
  | { kind: 'rotate'; tenantId: string; keyId: string }
  | { kind: 'schedule-revoke'; tenantId: string; keyId: string }
  | { kind: 'bulk-revoke'; tenantId: string; keyIds: string[] }
  | { kind: 'revoke-across'; items: AcrossItem[] }
  /** The emergency path on a locked read-only tenant: the unlock's reason and the typed name in one dialog. */
  | { kind: 'unlock-revoke'; tenantId: string; keyId: string; keyName: string; preview: string | null }
  /** A key created or revoked outside KeyDesk, acknowledged from the radar (`change`: which of the two). */
  | { kind: 'acknowledge-outside'; item: RadarKeyItem; change: OutsideKind }
  | { kind: 'headroom' }
  | { kind: 'search-all' }
  /** "Whose key is this?"; `session`: a triage already started (Search all's whole key), masked keys only. */
  | { kind: 'triage'; session?: TriageSession }
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
  /** `returnFocus`: where focus goes on close, when not where it was (a button the write disables). */
  openDialog(d: Exclude<DialogState, null>, opts?: { returnFocus?: HTMLElement | null }): void
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
  openDialog: (dialog, opts) =>
    set((s) => ({
      dialog,
      returnFocus:
        opts?.returnFocus ??
        (s.dialog && s.returnFocus ? s.returnFocus : document.activeElement instanceof HTMLElement ? document.activeElement : null)
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

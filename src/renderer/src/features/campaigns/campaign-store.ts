import { create } from 'zustand'

/** One key picked for a campaign, with what the dialog shows of it. */
export interface CampaignPick {
  tenant: string
  tenantLabel: string
  production: boolean
  keyId: string
  name: string
}

/**
 * What the campaigns feature shows: its dialog (with the keys picked), the hand-over queue of a
 * campaign, and whether the Campaigns view fills the main area. UI state only.
 */
interface CampaignsUi {
  picks: CampaignPick[] | null
  queue: string | null
  /** Keys main left out when the campaign started (a locked tenant's, a key already in a campaign). */
  skipped: { tenantLabel: string; why: string }[]
  viewOpen: boolean
  /** Where focus goes back when the dialog or the queue closes. */
  returnFocus: HTMLElement | null
  rotate(picks: CampaignPick[], returnFocus?: HTMLElement | null): void
  closeDialog(): void
  openQueue(campaignId: string, skipped?: { tenantLabel: string; why: string }[]): void
  closeQueue(): void
  openView(): void
  closeView(): void
}

export const useCampaignsUi = create<CampaignsUi>((set, get) => ({
  picks: null,
  queue: null,
  skipped: [],
  viewOpen: false,
  returnFocus: null,
  rotate: (picks, returnFocus = null) => set({ picks, returnFocus }),
  closeDialog: () => {
    set({ picks: null })
    get().returnFocus?.focus()
  },
  openQueue: (queue, skipped = []) => set({ queue, skipped, picks: null }),
  closeQueue: () => {
    set({ queue: null })
    get().returnFocus?.focus()
  },
  openView: () => set({ viewOpen: true }),
  closeView: () => set({ viewOpen: false })
}))

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

/** After the closing dialog has left the page (its own focus restore runs first), focus goes back where it came from. */
function refocus(el: HTMLElement | null) {
  setTimeout(() => {
    if (el?.isConnected && !el.matches(':disabled')) el.focus()
  }, 0)
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
    refocus(get().returnFocus)
  },
  openQueue: (queue, skipped = []) => set({ queue, skipped, picks: null }),
  closeQueue: () => {
    set({ queue: null })
    refocus(get().returnFocus)
  },
  openView: () => set({ viewOpen: true }),
  closeView: () => set({ viewOpen: false })
}))

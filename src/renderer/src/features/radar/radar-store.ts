import { create } from 'zustand'
import type { RadarCategory } from '../../../../shared/radar'
import { useCampaignsUi } from '../campaigns'

/**
 * Whether the main area shows the radar instead of the active tenant's keys, and what it is
 * filtered to. Its own store (not lib/store.ts): only the radar and the frame read it.
 */
interface RadarUi {
  open: boolean
  /** The category drilled into; null = the overview. */
  category: RadarCategory | null
  /** Only this tenant's keys in the drill-down (a notification's tenant). */
  tenant: string | null
  openRadar(filter?: { category?: RadarCategory | null; tenant?: string | null }): void
  closeRadar(): void
  drill(category: RadarCategory | null, tenant?: string | null): void
}

export const useRadarUi = create<RadarUi>((set) => ({
  open: false,
  category: null,
  tenant: null,
  // Opening the radar (sidebar, shortcut, a notification) leaves the Campaigns view it may show.
  openRadar: (f) => {
    useCampaignsUi.getState().closeView()
    set({ open: true, category: f?.category ?? null, tenant: f?.tenant ?? null })
  },
  closeRadar: () => set({ open: false }),
  drill: (category, tenant = null) => set({ category, tenant })
}))

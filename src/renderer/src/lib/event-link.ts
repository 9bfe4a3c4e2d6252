import { create } from 'zustand'
import type { EventLink } from '../../../shared/events'

/**
 * Whether main's event stream reaches this window: `none` until a transport says (a test's fake
 * bridge never does), `open`, `lost` (the web preview's server stopped or does not answer) or
 * `refused` (it answers, but no longer knows this window's session). `wasLost` stays set once the
 * link was lost in this page's life, so "the server is back" can offer Reload.
 */
export const useEventLink = create<{ link: EventLink | 'none'; wasLost: boolean }>(() => ({ link: 'none', wasLost: false }))

export function setEventLink(link: EventLink) {
  useEventLink.setState((s) => ({ link, wasLost: s.wasLost || link !== 'open' }))
}

/** Events tell what changed: polling that they cover slows to a fallback. */
export const eventsLive = () => useEventLink.getState().link === 'open'

/** A poll's interval: `fallback` while events arrive, `polled` otherwise. */
export const pollUnlessLive = (polled: number, fallback: number) => (eventsLive() ? Math.max(polled, fallback) : polled)

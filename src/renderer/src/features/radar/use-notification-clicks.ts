import { useEffect } from 'react'
import type { NotificationAction } from '../../../../shared/radar'
import { lastNotificationClick, recentNotifications } from './queries'
import { useRadarUi } from './radar-store'

const CLICK_POLL_MS = 5_000
const RECENT_POLL_MS = 15_000

/** Electron shows notifications from main; elsewhere (web preview) the page shows them itself. */
export const inElectron = () => /\bElectron\//.test(navigator.userAgent)
export const browserNotifications = () => !inElectron() && typeof Notification !== 'undefined'

const openFor = (action: NotificationAction | null) => {
  if (action?.kind === 'radar') useRadarUi.getState().openRadar({ category: action.category ?? null, tenant: action.tenant ?? null })
}

/**
 * A clicked notification opens the radar, filtered. Electron: main keeps the last click; it is
 * read when the window gains focus or becomes visible (main brings it forward on a click) and
 * every few seconds while it is visible. Clicks from before this window loaded are not replayed.
 * Web preview: new notices are shown with the browser's Notification API once allowed, and their
 * own click opens the radar.
 */
export function useNotificationClicks() {
  useEffect(() => {
    let stopped = false
    let seenClick: number | null = null
    let afterSeq: number | null = null
    const checkClick = async () => {
      if (document.visibilityState !== 'visible') return
      try {
        const click = await lastNotificationClick()
        if (stopped) return
        const seq = click?.seq ?? 0
        if (seenClick !== null && seq > seenClick) openFor(click!.action)
        seenClick = seq
      } catch {
        // Not worth an error on screen: the next focus asks again.
      }
    }
    const checkRecent = async () => {
      if (!browserNotifications()) return
      try {
        const { notices, lastSeq } = await recentNotifications(afterSeq ?? 0)
        if (stopped) return
        // The first read only learns where the list ends: notices from before this page are old.
        if (afterSeq !== null && Notification.permission === 'granted') {
          for (const n of notices) {
            const shown = new Notification(n.title, { body: n.body, tag: `keydesk-${n.seq}` })
            shown.onclick = () => {
              window.focus()
              openFor(n.action)
              shown.close()
            }
          }
        }
        afterSeq = lastSeq
      } catch {
        // The next poll asks again.
      }
    }
    void checkClick()
    void checkRecent()
    const onFocus = () => void checkClick()
    window.addEventListener('focus', onFocus)
    document.addEventListener('visibilitychange', onFocus)
    const clicks = inElectron() ? setInterval(() => void checkClick(), CLICK_POLL_MS) : null
    const recent = browserNotifications() ? setInterval(() => void checkRecent(), RECENT_POLL_MS) : null
    return () => {
      stopped = true
      window.removeEventListener('focus', onFocus)
      document.removeEventListener('visibilitychange', onFocus)
      if (clicks) clearInterval(clicks)
      if (recent) clearInterval(recent)
    }
  }, [])
}

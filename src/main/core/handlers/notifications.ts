import type { Notices } from '../notify/notices'
import type { Handlers } from '../router'

/**
 * What KeyDesk notified, for a window that cannot receive OS notifications (the web preview shows
 * them with the browser's Notification API), and the last notification clicked (opens the radar).
 */
export function notificationHandlers(d: { notices: Notices }): Pick<Handlers, 'notifications.recent' | 'notifications.lastClick'> {
  return {
    'notifications.recent': async (input) => ({ data: d.notices.recent(input?.afterSeq ?? 0) }),
    'notifications.lastClick': async () => ({ data: { click: d.notices.lastClick() } })
  }
}

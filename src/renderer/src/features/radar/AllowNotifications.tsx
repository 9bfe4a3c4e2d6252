import { useState } from 'react'
import { browserNotifications } from './use-notification-clicks'

/**
 * In the web preview: a button that asks the browser for notifications while it has not been
 * asked, and a word when it said no (a refusal is the browser's to undo, not KeyDesk's). Electron
 * shows notifications from main, so there is nothing to ask there.
 */
export function AllowNotifications() {
  const [permission, setPermission] = useState<NotificationPermission | null>(() => (browserNotifications() ? Notification.permission : null))
  if (permission === null || permission === 'granted') return null
  if (permission === 'denied') {
    return (
      <span className="muted notifications-blocked" role="status">
        Expiry notifications are blocked in this browser: allow notifications for this page in the browser's site settings to get them.
      </span>
    )
  }
  return (
    <button type="button" className="button ghost" onClick={() => void Notification.requestPermission().then(setPermission)}>
      Allow expiry notifications
    </button>
  )
}

import { useState } from 'react'
import { browserNotifications } from './use-notification-clicks'

/** In the web preview, where the browser has not been asked yet: a button that asks. */
export function AllowNotifications() {
  const [permission, setPermission] = useState(() => (browserNotifications() ? Notification.permission : 'denied'))
  if (permission !== 'default') return null
  return (
    <button type="button" className="button ghost" onClick={() => void Notification.requestPermission().then(setPermission)}>
      Allow expiry notifications
    </button>
  )
}

import { useEventLink } from '../lib/event-link'

/**
 * The web preview's link to its server (main's event stream). Stopped: said at once, once, and
 * this window stops asking (polls pause, the stream is tried again less and less often). Back:
 * said, with Reload. Back but a new run that no longer knows this window: where the new link is.
 * Electron's window never loses main, so this shows nothing there.
 */
export function ServerLinkNotice() {
  const { link, wasLost } = useEventLink()
  if (link === 'lost') {
    return (
      <div className="banner banner-warn" role="alert">
        <strong>KeyDesk&apos;s web server is not answering.</strong> It may have stopped. This window shows what it last read, asks nothing meanwhile,
        and checks by itself, less often as time goes on.
      </div>
    )
  }
  if (link === 'refused') {
    return (
      <div className="banner banner-warn" role="alert">
        <strong>KeyDesk&apos;s web server no longer knows this window.</strong> It was started again: open the new link that npm run start:web
        printed.
      </div>
    )
  }
  if (link === 'open' && wasLost) {
    return (
      <div className="banner banner-info" role="alert">
        <strong>KeyDesk&apos;s web server is back.</strong> Reload to see everything as it is now.
        <button type="button" className="button small" onClick={() => location.reload()}>
          Reload
        </button>
      </div>
    )
  }
  return null
}

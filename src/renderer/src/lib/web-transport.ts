import { createBridge } from '../../../preload/bridge'

/**
 * The web preview (npm run start:web): no preload, so the renderer builds the same bridge over
 * HTTP. The per-run token arrives in the URL fragment (never sent to a server) and is then moved
 * out of the address bar into this tab's session storage, so a reload keeps working.
 */
export function installWebBridgeIfNeeded(): void {
  if (window.keydesk) return
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token')
  if (fromHash) {
    sessionStorage.setItem('keydesk.token', fromHash)
    history.replaceState(null, '', location.pathname + location.search)
  }
  const token = sessionStorage.getItem('keydesk.token')
  if (!token) return
  window.keydesk = createBridge(async (channel, payload) => {
    const res = await fetch('/rpc', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ channel, payload })
    })
    if (!res.ok) {
      return { ok: false, error: { code: 'FORBIDDEN', message: `The KeyDesk web server refused this window (${res.status}). Open the link printed by npm run start:web again.` } }
    }
    return res.json()
  })
}

import { z } from 'zod'
import { createBridge } from '../../../shared/bridge'
import { FRAMED_TYPE, unframeReply } from '../../../shared/wire'

const TOKEN_KEY = 'keydesk.token'
const SessionReplySchema = z.object({ token: z.string().min(20).max(200) })
const refused = (message: string) => ({ ok: false as const, error: { code: 'FORBIDDEN' as const, message } })

/**
 * The web preview (npm run start:web): no preload, so the renderer builds the same bridge over
 * HTTP. The page arrives with a one-time code in the URL fragment (never sent to a server), takes
 * it out of the address bar at once and exchanges it (POST /session) for the session token, kept
 * in this tab's session storage so a reload keeps working. A used code is worth nothing.
 */
export function installWebBridgeIfNeeded(): void {
  if (window.keydesk) return
  const code = new URLSearchParams(location.hash.slice(1)).get('code')
  if (code) history.replaceState(null, '', location.pathname + location.search)
  const stored = sessionStorage.getItem(TOKEN_KEY)
  if (!code && !stored) return
  const token: Promise<string | null> = code ? exchange(code) : Promise.resolve(stored)
  window.keydesk = createBridge(async (channel, payload) => {
    const bearer = await token
    if (!bearer) {
      return refused('This KeyDesk link was already used. Stop npm run start:web (Ctrl+C) and start it again for a new one.')
    }
    const res = await fetch('/rpc', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ channel, payload })
    })
    if (!res.ok) {
      return refused(`The KeyDesk web server refused this window (${res.status}). Start npm run start:web again for a new link.`)
    }
    // A reply holding a long string (a list as JSON text) comes framed: the string unescaped.
    return res.headers.get('content-type')?.startsWith(FRAMED_TYPE) ? unframeReply(await res.text()) : res.json()
  })
}

async function exchange(code: string): Promise<string | null> {
  try {
    const res = await fetch('/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })
    if (!res.ok) return null
    const parsed = SessionReplySchema.safeParse(await res.json())
    if (!parsed.success) return null
    sessionStorage.setItem(TOKEN_KEY, parsed.data.token)
    return parsed.data.token
  } catch {
    return null
  }
}

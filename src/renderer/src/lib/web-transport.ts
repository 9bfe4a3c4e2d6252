import { z } from 'zod'
import { createBridge } from '../../../shared/bridge'
import { EVENTS_PATH, type EventLink, type SubscribeEvents } from '../../../shared/events'
import { FRAMED_TYPE, unframeReply } from '../../../shared/wire'

const TOKEN_KEY = 'keydesk.token'
const SessionReplySchema = z.object({ token: z.string().min(20).max(200) })
const refused = (message: string) => ({ ok: false as const, error: { code: 'FORBIDDEN' as const, message } })
const SERVER_GONE = {
  ok: false as const,
  error: {
    code: 'OFFLINE' as const,
    message:
      'The KeyDesk web server is not answering (it may have stopped). This window tries again by itself; start npm run start:web again if it was stopped.',
    reachedServer: false
  }
}

/** The event stream's reconnect waits: 1 s, doubling, at most 30 s (a stopped server sees a few requests a minute). */
const FIRST_RETRY_MS = 1_000
const MAX_RETRY_MS = 30_000

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
  const link = createLinkState()
  window.keydesk = createBridge(
    async (channel, payload) => {
      const bearer = await token
      if (!bearer) {
        return refused('This KeyDesk link was already used. Stop npm run start:web (Ctrl+C) and start it again for a new one.')
      }
      let res: Response
      try {
        res = await fetch('/rpc', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
          body: JSON.stringify({ channel, payload })
        })
      } catch {
        // Nothing answered: the server is gone. Said once, by the stream's state, not per call.
        link.set('lost')
        return SERVER_GONE
      }
      if (!res.ok) {
        return refused(`The KeyDesk web server refused this window (${res.status}). Start npm run start:web again for a new link.`)
      }
      // A reply holding a long string (a list as JSON text) comes framed: the string unescaped.
      return res.headers.get('content-type')?.startsWith(FRAMED_TYPE) ? unframeReply(await res.text()) : res.json()
    },
    subscribeOverHttp(token, link)
  )
}

/** The link's state, told to every subscriber when it changes. */
function createLinkState() {
  let current: EventLink | null = null
  const listeners = new Set<(l: EventLink) => void>()
  return {
    set(next: EventLink) {
      if (next === current) return
      current = next
      for (const l of listeners) l(next)
    },
    listen(l: (link: EventLink) => void) {
      listeners.add(l)
      if (current) l(current)
      return () => void listeners.delete(l)
    }
  }
}

/**
 * Main's events as server-sent events over fetch (POST /events with the session token: an
 * EventSource could send neither). A dropped or refused stream says `lost` and is opened again
 * after a wait that doubles up to 30 s; a server that answers but no longer knows the token says
 * `refused` and is not asked again (its new run printed a new link).
 */
function subscribeOverHttp(token: Promise<string | null>, link: ReturnType<typeof createLinkState>): SubscribeEvents {
  return (onBatch, onLink) => {
    let stopped = false
    let abort: AbortController | null = null
    let wake: (() => void) | null = null
    const unlisten = onLink ? link.listen(onLink) : () => {}
    const wait = (ms: number) => new Promise<void>((r) => ((wake = r), setTimeout(r, ms)))
    const run = async () => {
      let delay = FIRST_RETRY_MS
      while (!stopped) {
        const bearer = await token
        if (!bearer) return link.set('refused')
        try {
          abort = new AbortController()
          const res = await fetch(EVENTS_PATH, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, signal: abort.signal })
          if (res.status === 401 || res.status === 403) return link.set('refused')
          if (!res.ok || !res.body) throw new Error(`events: ${res.status}`)
          link.set('open')
          delay = FIRST_RETRY_MS
          await readStream(res.body, onBatch)
        } catch {
          // Refused or dropped: said below, then tried again after the wait.
        }
        if (stopped) return
        link.set('lost')
        await wait(delay)
        delay = Math.min(MAX_RETRY_MS, delay * 2)
      }
    }
    void run()
    return () => {
      stopped = true
      abort?.abort()
      wake?.()
      unlisten()
    }
  }
}

/** Reads `data:` lines of a text/event-stream until it ends; each is one JSON batch. */
async function readStream(body: ReadableStream<Uint8Array>, onBatch: (raw: never) => void) {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffer += decoder.decode(value, { stream: true })
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart())
        .join('\n')
      if (!data) continue
      try {
        onBatch(JSON.parse(data) as never)
      } catch {
        // Not JSON: dropped, as the bridge drops a batch that breaks the schema.
      }
    }
  }
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

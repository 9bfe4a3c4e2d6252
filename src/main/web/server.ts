import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { Core } from '../core'
import type { Logger } from '../core/log'
import { z } from 'zod'
import { contentSecurityPolicy } from '../../shared/csp'
import { frameReply } from '../../shared/wire'
import { EVENTS_PATH } from '../../shared/events'

/** The Electron build's CSP (src/shared/csp.ts), on every response. */
const CSP = contentSecurityPolicy()

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}
const MAX_BODY = 60 * 1024 * 1024
/** Open event streams at once (tabs of this run), and what one may leave unread before it is cut. */
const MAX_EVENT_STREAMS = 8
const MAX_STREAM_BUFFER = 1024 * 1024
/** A comment line this often keeps an idle stream open through anything that drops quiet connections. */
const EVENTS_HEARTBEAT_MS = 15_000

export interface WebServerOptions {
  core: Core
  rendererDir: string
  log: Logger
  port?: number
  /** Fixed token for tests; normally a fresh random one per run. */
  token?: string
  /** Told when a one-time code was exchanged (the CLI then deletes its launcher file). */
  onCodeRedeemed?: () => void
}

/** Largest /session body: `{"code":"…"}` with a 43-character code fits many times over. */
const MAX_SESSION_BODY = 1024
const SessionRequestSchema = z.object({ code: z.string().min(1).max(128) }).strict()

/**
 * `npm run start:web`: the built renderer and one RPC endpoint on 127.0.0.1. Every call carries
 * the per-run session token, and requests whose Host or Origin is not exactly this server are
 * refused (DNS rebinding, CSRF). The token itself never appears in a URL, argv or the terminal:
 * the page gets it by exchanging a one-time code (POST /session), and a code works once.
 */
export async function startWebServer(opts: WebServerOptions) {
  const token = opts.token ?? randomBytes(32).toString('base64url')
  const codes = new Set<string>()
  const root = resolve(opts.rendererDir)
  let origin = ''
  let host = ''

  const send = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, {
      'content-type': type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store'
    })
    res.end(body)
  }

  const tokenOk = (header: string | undefined) => sameSecret(token, header?.replace(/^Bearer\s+/i, '') ?? '')

  async function rpc(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') return send(res, 405, 'POST only')
    // A browser page elsewhere cannot forge Origin; a missing one (curl) is refused too.
    if (req.headers.origin !== origin) return send(res, 403, 'Origin refused')
    if (!tokenOk(req.headers.authorization)) return send(res, 401, 'Token missing or wrong')
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, 'JSON only')
    const read = await readJsonBody(req, MAX_BODY)
    if (!read.ok) return send(res, read.status, read.message)
    const call = (read.value ?? {}) as { channel?: unknown; payload?: unknown }
    // The core validates channel and payload exactly as over Electron IPC.
    const reply = await opts.core.invoke(String(call.channel), call.payload)
    const { type, body } = frameReply(reply)
    send(res, 200, body, type)
  }

  /** Open event streams, ended when the server closes (a stream would otherwise hold close() open). */
  const streams = new Set<ServerResponse>()

  /**
   * Main's events as server-sent events, with the RPC endpoint's checks (Host, Origin, token). A
   * POST, so the browser sends Origin and the token goes in a header, never in the URL (an
   * EventSource could carry neither); the page reads the stream with fetch.
   */
  async function eventStream(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') return send(res, 405, 'POST only')
    if (req.headers.origin !== origin) return send(res, 403, 'Origin refused')
    if (!tokenOk(req.headers.authorization)) return send(res, 401, 'Token missing or wrong')
    // A handful of tabs at most: every stream is one more copy of each batch.
    if (streams.size >= MAX_EVENT_STREAMS) return send(res, 429, 'Too many event streams')
    req.resume()
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store',
      connection: 'keep-alive'
    })
    // The first line tells the page the stream is open (it is also what a reconnect waits for).
    res.write(': open\n\n')
    streams.add(res)
    // A reader that stopped reading (a frozen tab) is cut off rather than buffered for without end;
    // the page reconnects and asks again for what it shows.
    const write = (text: string) => {
      if (res.writableLength > MAX_STREAM_BUFFER) return void res.destroy()
      res.write(text)
    }
    const unsubscribe = opts.core.events.subscribe((batch) => write(`data: ${JSON.stringify(batch)}\n\n`))
    const heartbeat = setInterval(() => write(': ping\n\n'), EVENTS_HEARTBEAT_MS)
    heartbeat.unref()
    res.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
      streams.delete(res)
    })
  }

  /** One-time code → session token. A code that was used (or never issued) is refused. */
  async function session(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') return send(res, 405, 'POST only')
    if (req.headers.origin !== origin) return send(res, 403, 'Origin refused')
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, 'JSON only')
    const read = await readJsonBody(req, MAX_SESSION_BODY)
    if (!read.ok) return send(res, read.status, read.message)
    const parsed = SessionRequestSchema.safeParse(read.value)
    const given = parsed.success ? [...codes].find((c) => sameSecret(c, parsed.data.code)) : undefined
    if (!given) return send(res, 401, 'This link was already used or is not from this run')
    codes.delete(given)
    opts.onCodeRedeemed?.()
    send(res, 200, JSON.stringify({ token }), 'application/json')
  }

  async function asset(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only')
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    const file = normalize(join(root, path === '/' ? 'index.html' : path))
    if (file !== root && !file.startsWith(root + sep)) return send(res, 404, 'Not found')
    try {
      const body = await readFile(file)
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store'
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    } catch {
      send(res, 404, 'Not found')
    }
  }

  const server = createServer((req, res) => {
    if (req.headers.host !== host) return send(res, 421, 'Host refused')
    const path = req.url?.split('?')[0]
    const handler = path === '/rpc' ? rpc : path === '/session' ? session : path === EVENTS_PATH ? eventStream : asset
    handler(req, res).catch((err) => {
      opts.log.error('web request failed', err)
      if (!res.headersSent) send(res, 500, 'Internal error')
      else res.end()
    })
  })
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  host = `127.0.0.1:${port}`
  origin = `http://${host}`

  return {
    origin,
    /**
     * A URL to open, carrying a fresh one-time code in its fragment (never sent in a request
     * line). Hand it over privately (the CLI's 0600 launcher file): whoever redeems it first gets the session.
     */
    launchUrl(): string {
      const code = randomBytes(32).toString('base64url')
      codes.add(code)
      return `${origin}/#code=${code}`
    },
    /** For in-process callers (tests); never printed or passed on. */
    token,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r())
        for (const s of streams) s.end()
        server.closeAllConnections()
      })
  }
}

function sameSecret(want: string, given: string): boolean {
  const a = Buffer.from(want)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** A request's JSON body, read up to `max` bytes: 413 past it, 400 when it does not parse. */
async function readJsonBody(
  req: IncomingMessage,
  max: number
): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > max) return { ok: false, status: 413, message: 'Too large' }
    chunks.push(chunk as Buffer)
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }
  } catch {
    return { ok: false, status: 400, message: 'Malformed JSON' }
  }
}

import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve, sep } from 'node:path'
import type { Core } from '../core'
import type { Logger } from '../core/log'

/** The same CSP as the Electron build (src/main/electron/security.ts keeps the two in step by test). */
export const WEB_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"

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

export interface WebServerOptions {
  core: Core
  rendererDir: string
  log: Logger
  port?: number
  /** Fixed token for tests; normally a fresh random one per run. */
  token?: string
}

/**
 * `npm run start:web`: the built renderer and one RPC endpoint on 127.0.0.1. Every call carries
 * the per-run token (handed over in the URL fragment, which browsers never send to servers), and
 * requests whose Host or Origin is not exactly this server are refused (DNS rebinding, CSRF).
 */
export async function startWebServer(opts: WebServerOptions) {
  const token = opts.token ?? randomBytes(32).toString('base64url')
  const root = resolve(opts.rendererDir)
  let origin = ''
  let host = ''

  const send = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, {
      'content-type': type,
      'content-security-policy': WEB_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store'
    })
    res.end(body)
  }

  const tokenOk = (header: string | undefined) => {
    const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '')
    const want = Buffer.from(token)
    return given.length === want.length && timingSafeEqual(given, want)
  }

  async function rpc(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') return send(res, 405, 'POST only')
    // A browser page elsewhere cannot forge Origin; a missing one (curl) is refused too.
    if (req.headers.origin !== origin) return send(res, 403, 'Origin refused')
    if (!tokenOk(req.headers.authorization)) return send(res, 401, 'Token missing or wrong')
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return send(res, 415, 'JSON only')
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      if (size > MAX_BODY) return send(res, 413, 'Too large')
      chunks.push(chunk as Buffer)
    }
    let call: { channel?: unknown; payload?: unknown }
    try {
      call = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      return send(res, 400, 'Malformed JSON')
    }
    // The core validates channel and payload exactly as over Electron IPC.
    const reply = await opts.core.invoke(String(call.channel), call.payload)
    send(res, 200, JSON.stringify(reply), 'application/json')
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
        'content-security-policy': WEB_CSP,
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
    const handler = req.url?.startsWith('/rpc') ? rpc : asset
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
    /** Open this: the token travels in the fragment, never in a request line or a log. */
    url: `${origin}/#token=${token}`,
    token,
    close: () => new Promise<void>((r) => server.close(() => r()))
  }
}

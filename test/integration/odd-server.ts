import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createMeshquClient, type MeshquClientOptions } from '../../src/main/core/meshqu/client'
import { CoreError } from '../../src/main/core/errors'

/**
 * A small real MeshQu look-alike on 127.0.0.1 that misbehaves in exactly the way one test needs.
 * Every request is logged (method, path, query, auth header) so tests can prove what was sent.
 */
export interface Seen {
  method: string
  path: string
  query: URLSearchParams
  authorization: string | undefined
}

export async function oddServer(handle: (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => void | Promise<void>, port = 0) {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    seen.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, authorization: req.headers.authorization })
    // Read the request body first so a handler can answer a POST at any time.
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => void handle(req, res, url, Buffer.concat(chunks).toString('utf8')))
  })
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      })
  }
}

export const TENANT = '123e4567-e89b-42d3-a456-426614174000'
export const ADMIN_KEY = 'mqu_live_' + 'Q7w'.repeat(10) + 'x7Kf'

export function keyObject(id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    tenant_id: TENANT,
    name: `svc-${id}`,
    key_preview: 'mqu_live_...abcd',
    scopes: ['audit:read'],
    expires_at: null,
    last_used_at: null,
    is_active: true,
    created_at: '2026-01-01T00:00:00Z',
    created_by: null,
    revoked_at: null,
    revoked_by: null,
    ...over
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'x-correlation-id': 'corr-odd', ...headers }).end(JSON.stringify(body))
}

/** A page in MeshQu's list shape. */
export function sendPage(res: ServerResponse, data: unknown[], p: { total: number; limit: number; offset: number; has_more: boolean }) {
  sendJson(res, 200, { data, pagination: p })
}

export function clientFor(url: string, extra: Partial<MeshquClientOptions> = {}) {
  return createMeshquClient({
    baseUrl: url,
    tenantId: TENANT,
    tenantLabel: 'odd',
    adminKey: ADMIN_KEY,
    timeoutMs: 5_000,
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    ...extra
  })
}

export async function failure(p: Promise<unknown>): Promise<CoreError> {
  try {
    await p
  } catch (e) {
    if (e instanceof CoreError) return e
    throw e
  }
  throw new Error('expected a failure')
}

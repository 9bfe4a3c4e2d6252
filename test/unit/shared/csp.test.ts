import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { IndexHtmlTransformContext, IndexHtmlTransformHook, ViteDevServer } from 'vite'
import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../../src/shared/csp'
import { hardenSession } from '../../../src/main/electron/security'
import { startWebServer } from '../../../src/main/web/server'
import { silentLogger } from '../../../src/main/core/log'
import { cspPlugin } from '../../../scripts/csp-plugin'

const STRICT =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"

describe('contentSecurityPolicy (src/shared/csp.ts)', () => {
  it('is strict in production', () => {
    expect(contentSecurityPolicy()).toBe(STRICT)
  })

  it('relaxes only script-src and connect-src, only for the dev server origin and its HMR socket', () => {
    const dev = contentSecurityPolicy({ devServerUrl: 'http://localhost:5173/some/path' })
    expect(dev).toContain("script-src 'self' 'unsafe-inline' http://localhost:5173;")
    expect(dev).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173;")
    const strict = contentSecurityPolicy().split('; ')
    const relaxed = dev.split('; ')
    expect(relaxed.filter((d) => !strict.includes(d)).map((d) => d.split(' ')[0])).toEqual(['script-src', 'connect-src'])
    expect(dev).not.toMatch(/unsafe-eval|\*/)
  })

  it('leaves out of a <meta> only what a <meta> cannot carry (frame-ancestors)', () => {
    expect(contentSecurityPolicy({ delivery: 'meta' })).toBe(STRICT.replace("frame-ancestors 'none'; ", ''))
  })
})

/** Runs the plugin's transformIndexHtml hook as Vite would. */
function runPlugin(html: string, server?: Partial<ViteDevServer>): string {
  const hook = cspPlugin().transformIndexHtml as { handler: IndexHtmlTransformHook }
  const ctx = { path: '/index.html', filename: 'index.html', server } as IndexHtmlTransformContext
  return hook.handler.call({} as never, html, ctx) as string
}
/** The one CSP <meta>'s policy, which must come after <meta charset> and before any script. */
const metaContent = (html: string) => {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)]
  expect(metas).toHaveLength(1)
  expect(metas[0]!.index).toBeGreaterThan(html.search(/<meta charset/))
  expect(html.search(/<meta charset/)).toBeGreaterThan(0)
  expect(metas[0]!.index).toBeLessThan(html.indexOf('<script'))
  return metas[0]![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')
}

// Issue 13: one CSP for index.html's build, the Electron shell and the web server.
describe('every place that sets the CSP takes it from src/shared/csp.ts', () => {
  const indexHtml = readFileSync(resolve(__dirname, '../../../src/renderer/index.html'), 'utf8')

  it('index.html holds no copy; the build writes the module policy into its <meta>', () => {
    expect(indexHtml).not.toMatch(/Content-Security-Policy/i)
    expect(metaContent(runPlugin(indexHtml))).toBe(contentSecurityPolicy({ delivery: 'meta' }))
    // A copy pasted back into index.html fails the build instead of narrowing the policy unseen.
    const pasted = indexHtml.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="default-src *">`)
    expect(() => runPlugin(pasted)).toThrow(/src\/shared\/csp\.ts/)
  })

  it('the dev server gets the same relaxation the shell sends in development', () => {
    const server = { resolvedUrls: { local: ['http://localhost:5173/'], network: [] }, config: { server: {} } } as unknown as ViteDevServer
    expect(metaContent(runPlugin(indexHtml, server))).toBe(contentSecurityPolicy({ devServerUrl: 'http://localhost:5173/', delivery: 'meta' }))
  })

  it('the Electron shell sends the module policy as a header', () => {
    let listener:
      ((d: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined
    const session = {
      webRequest: { onHeadersReceived: (fn: typeof listener) => void (listener = fn) },
      setPermissionRequestHandler: () => {},
      setPermissionCheckHandler: () => {}
    }
    hardenSession(session as never)
    let headers: Record<string, string[]> = {}
    listener!({ responseHeaders: {} }, (r) => (headers = r.responseHeaders))
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy()])
  })

  it('the web server sends the module policy as a header', async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'keydesk-csp-'))
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>')
    const core = {
      invoke: async () => ({ ok: false as const, error: { code: 'INTERNAL' as const, message: 'x' } }),
      events: { subscribe: () => () => {} },
      dispose: async () => {}
    }
    const web = await startWebServer({ core, rendererDir, log: silentLogger })
    try {
      const res = await fetch(`${web.origin}/`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy())
    } finally {
      await web.close()
    }
  })
})

import type { Plugin } from 'vite'
import { contentSecurityPolicy } from '../src/shared/csp'

export const CSP_PLUGIN_NAME = 'keydesk-csp'

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')

/**
 * Writes the renderer's CSP <meta> into index.html from src/shared/csp.ts, right after
 * <meta charset> (which must stay first) and before any script, so it governs all of them.
 * index.html holds no copy of its own: a second policy would only narrow this one unseen, and
 * two copies drift. The build gets the strict policy; only the dev server (npm run dev) gets the
 * relaxation for its own origin and HMR socket, the same one the Electron shell sends in dev.
 */
export function cspPlugin(): Plugin {
  return {
    name: CSP_PLUGIN_NAME,
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        if (/http-equiv=["']?Content-Security-Policy/i.test(html)) {
          throw new Error('index.html has its own CSP <meta>; the CSP lives in src/shared/csp.ts only.')
        }
        const devServerUrl = ctx.server
          ? (ctx.server.resolvedUrls?.local[0] ?? `http://localhost:${ctx.server.config.server.port ?? 5173}`)
          : undefined
        const meta = `<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy({ devServerUrl, delivery: 'meta' }))}" />`
        const anchor = /<meta\s+charset=[^>]*>/i.exec(html) ?? /<head[^>]*>/i.exec(html)
        if (!anchor) throw new Error('index.html has no <head> to put the CSP <meta> in.')
        const at = anchor.index + anchor[0].length
        return `${html.slice(0, at)}\n    ${meta}${html.slice(at)}`
      }
    }
  }
}

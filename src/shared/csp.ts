/**
 * The renderer's Content-Security-Policy, in one place. The Electron shell sends it as a header
 * (src/main/electron/security.ts), the web preview too (src/main/web/server.ts), and the build
 * writes it into index.html's <meta> (scripts/csp-plugin.ts, from electron.vite.config.ts).
 *
 * Nothing remote, no eval, and connect-src 'self' so the renderer never reaches the network
 * itself. Only the dev server's HMR relaxes it, never a packaged build: script-src gains the dev
 * origin and 'unsafe-inline' (@vitejs/plugin-react injects its Fast Refresh preamble as an inline
 * module script), connect-src the dev origin and its ws: socket.
 */
export interface CspOptions {
  /** The dev server's URL (npm run dev); absent in every build. */
  devServerUrl?: string
  /**
   * 'meta' leaves out what a <meta> cannot carry: browsers ignore frame-ancestors there and log
   * a warning about it, so it is sent as a header only.
   */
  delivery?: 'header' | 'meta'
}

/** Directives that only work in a header. */
const HEADER_ONLY = new Set(['frame-ancestors'])

export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const dev = opts.devServerUrl ? new URL(opts.devServerUrl) : undefined
  const devOrigin = dev ? dev.origin : ''
  const devWs = dev ? `ws://${dev.host}` : ''
  const directives: Array<[string, string]> = [
    ['default-src', "'none'"],
    ['script-src', `'self'${dev ? ` 'unsafe-inline' ${devOrigin}` : ''}`],
    ['style-src', "'self' 'unsafe-inline'"],
    ['img-src', "'self' data:"],
    ['font-src', "'self'"],
    ['connect-src', `'self'${dev ? ` ${devOrigin} ${devWs}` : ''}`],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['frame-ancestors', "'none'"],
    ['object-src', "'none'"]
  ]
  return directives
    .filter(([name]) => opts.delivery !== 'meta' || !HEADER_ONLY.has(name))
    .map(([name, value]) => `${name} ${value}`)
    .join('; ')
}

import type { Session, WebContents, WebPreferences } from 'electron'

/** webPreferences of every KeyDesk window (electronjs.org security checklist). */
export function buildWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true
  }
}

/**
 * The renderer's CSP: nothing remote, no eval, and connect-src 'self' so the renderer never
 * reaches the network itself. Only the dev server's HMR relaxes it, never a packaged build.
 */
export function contentSecurityPolicy(opts: { devServerUrl?: string } = {}): string {
  const dev = opts.devServerUrl ? new URL(opts.devServerUrl) : undefined
  const devOrigin = dev ? dev.origin : ''
  const devWs = dev ? `ws://${dev.host}` : ''
  return [
    "default-src 'none'",
    `script-src 'self'${dev ? ` ${devOrigin}` : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ` ${devOrigin} ${devWs}` : ''}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'"
  ].join('; ')
}

/** CSP on every response, and every permission request (camera, notifications, …) denied. */
export function hardenSession(session: Session, opts: { devServerUrl?: string } = {}): void {
  const csp = contentSecurityPolicy(opts)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** Is this URL the app itself (the built files, or the dev server in development)? */
export function isAppUrl(url: string, appOrigin: string): boolean {
  try {
    const u = new URL(url)
    if (appOrigin === 'file://') return u.protocol === 'file:'
    return u.origin === appOrigin
  } catch {
    return false
  }
}

/** No navigation away, no new windows, no webviews, no redirects out of the app. */
export function hardenWebContents(contents: WebContents, appOrigin: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

import type { Session, WebContents, WebPreferences } from 'electron'
import { contentSecurityPolicy } from '../../shared/csp'

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

/** The CSP (src/shared/csp.ts) on every response, and every permission request (camera, notifications, …) denied. */
export function hardenSession(session: Session, opts: { devServerUrl?: string } = {}): void {
  const csp = contentSecurityPolicy(opts)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/**
 * Where the app lives: the dev server's origin (development), or the file: URL of the built
 * renderer's directory, ending in '/' (everything else).
 */
export type AppBase = string

/**
 * Is this URL the app itself? For the dev server, same origin. For the built files, a file: URL
 * inside the renderer directory: not any file on disk (file:///etc/passwd, a downloaded .html).
 */
export function isAppUrl(url: string, appBase: AppBase, platform: NodeJS.Platform = process.platform): boolean {
  try {
    const u = new URL(url)
    const base = new URL(appBase)
    if (base.protocol !== 'file:') return u.origin === base.origin && base.origin !== 'null'
    if (u.protocol !== 'file:' || u.host !== base.host) return false
    // Encoded separators or dots could spell a '..' once decoded: never in our own files' URLs.
    if (/%2f|%5c|%2e/i.test(u.pathname)) return false
    // Decoded (Node and Chromium percent-encode a few characters differently) and, where the
    // file system ignores case, folded. URL parsing has already resolved any '..' segments.
    const norm = (p: string) => {
      const d = decodeURIComponent(p)
      return platform === 'win32' || platform === 'darwin' ? d.toLowerCase() : d
    }
    const dir = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`
    return norm(u.pathname).startsWith(norm(dir))
  } catch {
    return false
  }
}

/** No navigation away, no new windows, no webviews, no redirects out of the app. */
export function hardenWebContents(contents: WebContents, appBase: AppBase): void {
  // event.url (not the deprecated positional argument) is where the frame is going.
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (!isAppUrl(event.url, appBase)) event.preventDefault()
  }
  contents.on('will-navigate', stayInApp)
  contents.on('will-frame-navigate', stayInApp)
  contents.on('will-redirect', stayInApp)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/**
 * Switches that open a debugger into KeyDesk. No Electron fuse covers Chromium's remote debugging:
 * through it any local process could drive the renderer and call keys.create or secrets.reveal.
 * Node's inspector is fused off in a packaged build (enableNodeCliInspectArguments); it is refused
 * here as well, so the check does not rest on packaging alone.
 */
const DEBUGGING_SWITCHES = ['remote-debugging-port', 'remote-debugging-pipe', 'inspect', 'inspect-brk', 'inspect-port', 'inspect-brk-node']

/**
 * The first debugging switch KeyDesk was started with, as `--name`, or undefined. Both the raw
 * arguments (Chromium reads `--x`, `-x` and, on Windows, `/x`, case-insensitively there) and
 * Chromium's own parsed command line are asked, so neither spelling nor a switch added outside
 * argv slips through.
 */
export function debuggingSwitch(
  argv: readonly string[],
  hasSwitch: (name: string) => boolean,
  platform: NodeJS.Platform = process.platform
): string | undefined {
  const prefix = platform === 'win32' ? '(?:--?|/)' : '--?'
  const inArgv = new RegExp(`^${prefix}(remote-debugging-(?:port|pipe)|inspect(?:-[a-z-]+)?)(?:=|$)`, platform === 'win32' ? 'i' : '')
  // Chromium stops reading switches at a bare `--`.
  const end = argv.indexOf('--')
  for (const arg of end < 0 ? argv : argv.slice(0, end)) {
    const m = inArgv.exec(arg)
    if (m) return `--${m[1]!.toLowerCase()}`
  }
  const named = DEBUGGING_SWITCHES.find((name) => hasSwitch(name))
  return named === undefined ? undefined : `--${named}`
}

import { EventEmitter } from 'node:events'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CHANNELS } from '../../../src/shared/contract'

// A fake 'electron' module: records what the shell asks of it, so the security settings can be
// asserted in plain Node where no Electron binary exists.
const h = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events')
  const calls: string[] = []
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>()
  const windows: FakeWindow[] = []
  let headersListener: ((d: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void) | undefined
  let permissionRequest: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined
  let permissionCheck: (() => boolean) | undefined
  let readyResolve: () => void = () => {}
  const ready = new Promise<void>((r) => (readyResolve = r))

  class FakeWebContents extends EventEmitter {
    windowOpenHandler: ((d: { url: string }) => { action: string }) | undefined
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
      this.windowOpenHandler = fn
    }
  }
  class FakeWindow extends EventEmitter {
    webContents = new FakeWebContents()
    loaded: string | undefined
    constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
      super()
      windows.push(this)
      calls.push('new BrowserWindow')
    }
    loadFile(f: string) {
      this.loaded = f
      return Promise.resolve()
    }
    loadURL(u: string) {
      this.loaded = u
      return Promise.resolve()
    }
    show() {}
    isMinimized() {
      return false
    }
    restore() {}
    focus() {}
    static getAllWindows() {
      return windows
    }
  }
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    paths: new Map<string, string>([['userData', '/fake/userData']]),
    enableSandbox: () => void calls.push('enableSandbox'),
    requestSingleInstanceLock: () => (calls.push('requestSingleInstanceLock'), true),
    whenReady: () => (calls.push('whenReady'), ready),
    getPath(name: string) {
      return this.paths.get(name)!
    },
    setPath(name: string, value: string) {
      this.paths.set(name, value)
    },
    getVersion: () => '0.1.0-test',
    quit: () => void calls.push('quit')
  })
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => void handlers.set(channel, fn),
      removeHandler: (channel: string) => void handlers.delete(channel)
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: typeof headersListener) => void (headersListener = fn) },
        setPermissionRequestHandler: (fn: typeof permissionRequest) => void (permissionRequest = fn),
        setPermissionCheckHandler: (fn: typeof permissionCheck) => void (permissionCheck = fn)
      }
    },
    nativeTheme: { shouldUseDarkColors: true },
    clipboard: { writeText: () => {}, readText: async () => '' },
    Notification: Object.assign(class {}, { isSupported: () => false }),
    dialog: {}
  }
  return {
    electron, calls, handlers, windows, readyResolve,
    headers: () => headersListener, permissionRequest: () => permissionRequest, permissionCheck: () => permissionCheck,
    coreInvoke: vi.fn(async (channel: string) => ({ ok: true, data: { channel }, meta: { tenantId: null, servedFrom: 'local', syncedAt: null } })),
    createCoreOptions: [] as unknown[]
  }
})

vi.mock('electron', () => ({ ...h.electron, default: h.electron }))
vi.mock('../../../src/main/core', () => ({
  createCore: (opts: unknown) => {
    h.createCoreOptions.push(opts)
    return { invoke: h.coreInvoke, dispose: async () => {} }
  },
  createKeytarSecretStore: () => ({})
}))

const appUrl = 'file:///opt/KeyDesk/resources/app.asar/out/renderer/index.html'
const fromWindow = (url = appUrl) => ({ sender: h.windows[0]!.webContents, senderFrame: { url } })

describe('the Electron shell', () => {
  beforeEach(async () => {
    if (h.windows.length) return
    process.env.KEYDESK_DATA_DIR = '/tmp/keydesk-shell-test'
    const { startShell } = await import('../../../src/main/electron/app')
    startShell()
    h.readyResolve()
    await new Promise((r) => setTimeout(r, 0))
  })

  it('enables the sandbox and takes the single-instance lock before the app is ready', () => {
    expect(h.calls.indexOf('enableSandbox')).toBeGreaterThanOrEqual(0)
    expect(h.calls.indexOf('enableSandbox')).toBeLessThan(h.calls.indexOf('whenReady'))
    expect(h.calls.indexOf('requestSingleInstanceLock')).toBeLessThan(h.calls.indexOf('whenReady'))
  })

  it('creates the window with the hardened webPreferences and the built renderer', () => {
    const prefs = h.windows[0]!.options.webPreferences
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.js$/)
    expect(h.windows[0]!.loaded).toMatch(/renderer[\\/]index\.html$/)
  })

  it('honours KEYDESK_DATA_DIR for the core', () => {
    expect(h.createCoreOptions[0]).toMatchObject({ dataDir: '/tmp/keydesk-shell-test' })
  })

  it('installs a strict CSP on every response', () => {
    let out: { responseHeaders: Record<string, string[]> } | undefined
    h.headers()!({ responseHeaders: { 'x-other': ['1'] } }, (r) => (out = r as typeof out))
    const csp = out!.responseHeaders['Content-Security-Policy']![0]!
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toMatch(/localhost|127\.0\.0\.1|ws:/)
    expect(out!.responseHeaders['x-other']).toEqual(['1'])
  })

  it('denies navigation away, window.open, webviews and every permission', () => {
    const wc = h.windows[0]!.webContents
    const nav = { preventDefault: vi.fn() }
    wc.emit('will-navigate', nav, 'https://evil.example/')
    expect(nav.preventDefault).toHaveBeenCalled()
    const inside = { preventDefault: vi.fn() }
    wc.emit('will-navigate', inside, appUrl)
    expect(inside.preventDefault).not.toHaveBeenCalled()
    expect(wc.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    const webview = { preventDefault: vi.fn() }
    wc.emit('will-attach-webview', webview)
    expect(webview.preventDefault).toHaveBeenCalled()
    let granted: boolean | undefined
    h.permissionRequest()!(wc, 'media', (ok) => (granted = ok))
    expect(granted).toBe(false)
    expect(h.permissionCheck()!()).toBe(false)
  })

  it('hardens any other webContents that appears', () => {
    const other = new (h.electron.BrowserWindow as unknown as new (o: unknown) => { webContents: EventEmitter & { windowOpenHandler?: (d: { url: string }) => unknown } })({ webPreferences: {} })
    h.electron.app.emit('web-contents-created', {}, other.webContents)
    expect(other.webContents.windowOpenHandler!({ url: 'https://x.example' })).toEqual({ action: 'deny' })
    h.windows.pop()
  })

  it('handles exactly the contract channels', () => {
    expect([...h.handlers.keys()].sort()).toEqual([...CHANNELS].sort())
  })

  it('forwards calls from our window to the core', async () => {
    const reply = await h.handlers.get('tenants.list')!(fromWindow(), {})
    expect(reply).toMatchObject({ ok: true, data: { channel: 'tenants.list' } })
    expect(h.coreInvoke).toHaveBeenCalledWith('tenants.list', {})
  })

  it('refuses a call from an untrusted frame without reaching the core', async () => {
    h.coreInvoke.mockClear()
    const reply = await h.handlers.get('keys.list')!(fromWindow('https://evil.example/'), { tenant: 'x' })
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const stranger = await h.handlers.get('keys.list')!({ sender: {}, senderFrame: { url: appUrl } }, { tenant: 'x' })
    expect(stranger).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(h.coreInvoke).not.toHaveBeenCalled()
  })

  it('turns a core that throws into an INTERNAL reply, not a rejection', async () => {
    h.coreInvoke.mockRejectedValueOnce(new Error('boom mqu_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAx7Kf'))
    const reply = await h.handlers.get('app.info')!(fromWindow(), {})
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(reply)).not.toContain('AAAAAAAA')
  })
})

describe('dev CSP', () => {
  it('relaxes only for the dev server origin and its HMR socket', async () => {
    const { contentSecurityPolicy } = await import('../../../src/main/electron/security')
    const dev = contentSecurityPolicy({ devServerUrl: 'http://localhost:5173' })
    expect(dev).toContain("script-src 'self' http://localhost:5173")
    expect(dev).toContain('ws://localhost:5173')
    expect(contentSecurityPolicy()).not.toContain('localhost')
  })

  it('matches the web preview CSP in production', async () => {
    const { contentSecurityPolicy } = await import('../../../src/main/electron/security')
    const { WEB_CSP } = await import('../../../src/main/web/server')
    expect(contentSecurityPolicy()).toBe(WEB_CSP)
  })
})

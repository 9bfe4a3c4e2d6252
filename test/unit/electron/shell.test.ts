import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CHANNELS } from '../../../src/shared/contract'

// A fake 'electron' module: records what the shell asks of it, so the security settings can be
// asserted in plain Node where no Electron binary exists. vi.hoisted runs before the imports
// below are resolved, so it may use only dynamic imports.
const h = await vi.hoisted(async () => {
  const { EventEmitter } = await import('node:events')
  type Handler = (event: unknown, payload: unknown) => Promise<unknown>
  type HeadersListener = (d: { responseHeaders: Record<string, string[]> }, cb: (r: unknown) => void) => void
  type PermissionRequest = (wc: unknown, p: string, cb: (ok: boolean) => void) => void

  const state = {
    calls: [] as string[],
    handlers: new Map<string, Handler>(),
    windows: [] as FakeWindow[],
    notifications: [] as FakeNotification[],
    clipboardText: '',
    headersListener: undefined as HeadersListener | undefined,
    permissionRequest: undefined as PermissionRequest | undefined,
    permissionCheck: undefined as ((...args: unknown[]) => boolean) | undefined,
    lock: true,
    ready: Promise.resolve(),
    readyResolve: () => {}
  }

  class FakeWebContents extends EventEmitter {
    windowOpenHandler: ((d: { url: string }) => { action: string }) | undefined
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
      this.windowOpenHandler = fn
    }
  }
  class FakeNotification extends EventEmitter {
    shown = false
    constructor(readonly options: { title: string; body: string }) {
      super()
    }
    show() {
      this.shown = true
      state.notifications.push(this)
    }
    static isSupported() {
      return true
    }
  }
  class FakeWindow extends EventEmitter {
    webContents = new FakeWebContents()
    loaded: string | undefined
    shown = false
    focused = false
    constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
      super()
      state.windows.push(this)
      state.calls.push('new BrowserWindow')
    }
    loadFile(f: string) {
      this.loaded = f
      return Promise.resolve()
    }
    loadURL(u: string) {
      this.loaded = u
      return Promise.resolve()
    }
    show() {
      this.shown = true
    }
    isMinimized() {
      return false
    }
    restore() {}
    focus() {
      this.focused = true
    }
    static getAllWindows() {
      return state.windows
    }
  }
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    paths: new Map<string, string>(),
    enableSandbox: () => void state.calls.push('enableSandbox'),
    requestSingleInstanceLock: () => (state.calls.push('requestSingleInstanceLock'), state.lock),
    whenReady: () => (state.calls.push('whenReady'), state.ready),
    getPath(name: string) {
      return this.paths.get(name)!
    },
    setPath(name: string, value: string) {
      state.calls.push(`setPath ${name}`)
      this.paths.set(name, value)
    },
    getVersion: () => '0.1.0-test',
    quit: () => void state.calls.push('quit')
  })
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain: {
      handle: (channel: string, fn: Handler) => {
        if (state.handlers.has(channel)) throw new Error(`second handler for ${channel}`)
        state.handlers.set(channel, fn)
      },
      removeHandler: (channel: string) => void state.handlers.delete(channel)
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (fn: HeadersListener) => void (state.headersListener = fn) },
        setPermissionRequestHandler: (fn: PermissionRequest) => void (state.permissionRequest = fn),
        setPermissionCheckHandler: (fn: () => boolean) => void (state.permissionCheck = fn)
      }
    },
    nativeTheme: { shouldUseDarkColors: true },
    clipboard: {
      writeText: (text: string) => void (state.clipboardText = text),
      readText: () => state.clipboardText
    },
    Notification: FakeNotification,
    dialog: {},
    shell: { openExternal: () => Promise.resolve() }
  }

  /** A fresh Electron: no windows, handlers or listeners; the app not yet ready. */
  function reset(opts: { packaged: boolean; lock?: boolean }) {
    state.calls.length = 0
    state.handlers.clear()
    state.windows.length = 0
    state.headersListener = state.permissionRequest = state.permissionCheck = undefined
    state.lock = opts.lock ?? true
    state.ready = new Promise<void>((r) => (state.readyResolve = r))
    app.removeAllListeners()
    app.isPackaged = opts.packaged
    app.paths = new Map([['userData', '/fake/userData']])
  }

  return {
    electron,
    state,
    reset,
    FakeWebContents,
    coreInvoke: vi.fn(async (channel: string) => ({ ok: true, data: { channel }, meta: { tenantId: null, servedFrom: 'local', syncedAt: null } })),
    coreDispose: vi.fn(async () => {}),
    createCoreOptions: [] as Array<Record<string, unknown>>
  }
})

vi.mock('electron', () => ({ ...h.electron, default: h.electron }))
vi.mock('../../../src/main/core', () => ({
  createCore: (opts: Record<string, unknown>) => {
    h.createCoreOptions.push(opts)
    return { invoke: h.coreInvoke, dispose: h.coreDispose }
  },
  createKeytarSecretStore: () => ({ kind: 'keytar' })
}))

type CrashHandler = (err: unknown) => void

/**
 * Runs startShell() against a fresh fake Electron, with `env` set, up to the window. The crash
 * handlers it installs on `process` are captured instead (so they never catch vitest's errors).
 */
async function boot(opts: { packaged: boolean; lock?: boolean; env?: Record<string, string | undefined> }) {
  h.reset(opts)
  h.createCoreOptions.length = 0
  h.coreInvoke.mockClear()
  h.coreDispose.mockClear()
  const saved = { ...process.env }
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  const crash: Record<string, CrashHandler> = {}
  const realOn = process.on.bind(process)
  const spy = vi.spyOn(process, 'on').mockImplementation(((event: string, fn: CrashHandler) => {
    if (event === 'uncaughtException' || event === 'unhandledRejection') crash[event] = fn
    else realOn(event as 'exit', fn)
    return process
  }) as typeof process.on)
  try {
    vi.resetModules()
    const { startShell } = await import('../../../src/main/electron/app')
    startShell()
  } finally {
    spy.mockRestore()
    process.env = saved
  }
  h.state.readyResolve()
  await new Promise((r) => setTimeout(r, 0))
  return { crash, window: h.state.windows[0] }
}

// What the shell computes from src/main/electron/app.ts's __dirname (out/main in a build).
const rendererDir = join(__dirname, '../../../src/main/renderer')
const appUrl = pathToFileURL(join(rendererDir, 'index.html')).href
const mainFrame = (url: string) => ({ url, parent: null })
const fromWindow = (url = appUrl) => ({ sender: h.state.windows[0]!.webContents, senderFrame: mainFrame(url) })
const nav = (url: string) => ({ url, preventDefault: vi.fn() })
const ok = { ok: true, data: { channel: 'tenants.list' } }

describe('the Electron shell (packaged build)', () => {
  let crash: Record<string, CrashHandler>
  beforeAll(async () => {
    // The dev server variable is set on purpose: a packaged build must ignore it.
    ;({ crash } = await boot({
      packaged: true,
      env: { KEYDESK_DATA_DIR: '/tmp/keydesk-shell-test', ELECTRON_RENDERER_URL: 'http://localhost:5173' }
    }))
  })

  it('enables the sandbox and takes the single-instance lock before the app is ready', () => {
    const at = (c: string) => h.state.calls.indexOf(c)
    expect(at('enableSandbox')).toBeGreaterThanOrEqual(0)
    expect(at('requestSingleInstanceLock')).toBeGreaterThanOrEqual(0)
    expect(at('enableSandbox')).toBeLessThan(at('whenReady'))
    expect(at('requestSingleInstanceLock')).toBeLessThan(at('whenReady'))
    expect(at('whenReady')).toBeLessThan(at('new BrowserWindow'))
  })

  it('creates one window with the hardened webPreferences', () => {
    expect(h.state.windows).toHaveLength(1)
    const prefs = h.state.windows[0]!.options.webPreferences
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false
    })
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.js$/)
  })

  it('sizes the window, keeps it hidden until ready-to-show and follows the OS theme', () => {
    const win = h.state.windows[0]!
    expect(win.options).toMatchObject({ width: 1280, height: 800, minWidth: 960, minHeight: 600, show: false, title: 'KeyDesk' })
    expect(win.options.backgroundColor).toBe('#0f1115')
    expect(win.shown).toBe(false)
    win.emit('ready-to-show')
    expect(win.shown).toBe(true)
  })

  it('loads the built renderer, never the dev server, in a packaged build', () => {
    expect(h.state.windows[0]!.loaded).toBe(join(rendererDir, 'index.html'))
  })

  it('honours KEYDESK_DATA_DIR and lends the core the keychain and the Electron clipboard', async () => {
    expect(h.state.calls).toContain('setPath userData')
    expect(h.createCoreOptions[0]).toMatchObject({ dataDir: '/tmp/keydesk-shell-test', secretStore: { kind: 'keytar' }, appVersion: '0.1.0-test' })
    const clipboard = h.createCoreOptions[0]!.clipboard as { writeText(t: string): void; readText(): string | Promise<string> }
    clipboard.writeText('mqu_live_copied')
    expect(h.state.clipboardText).toBe('mqu_live_copied')
    expect(await clipboard.readText()).toBe('mqu_live_copied')
  })

  it('shows notifications; a click tells the core and brings the window forward', () => {
    const notifier = h.createCoreOptions[0]!.notifier as { notify(t: string, b: string, o?: { onClick?: () => void }): void }
    const clicks: string[] = []
    notifier.notify('3 keys in acme-prod expire within 7 days', '3 within 7 days: a, b, c', { onClick: () => clicks.push('core told') })
    const shown = h.state.notifications.at(-1)!
    expect(shown.options).toMatchObject({ title: '3 keys in acme-prod expire within 7 days', body: '3 within 7 days: a, b, c' })
    const win = h.state.windows[0]!
    win.focused = false
    shown.emit('click')
    expect(clicks).toEqual(['core told'])
    expect(win.focused).toBe(true)
  })

  it('installs a strict CSP on every response, without the dev server', () => {
    let out: { responseHeaders: Record<string, string[]> } | undefined
    h.state.headersListener!({ responseHeaders: { 'x-other': ['1'] } }, (r) => (out = r as typeof out))
    const csp = out!.responseHeaders['Content-Security-Policy']![0]!
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self';")
    expect(csp).toContain("connect-src 'self';")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-eval')
    expect(csp).not.toMatch(/localhost|127\.0\.0\.1|ws:|https?:/)
    expect(out!.responseHeaders['x-other']).toEqual(['1'])
  })

  it('denies navigation away, redirects, window.open and webviews', () => {
    const wc = h.state.windows[0]!.webContents
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const evil = nav('https://evil.example/')
      wc.emit(event, evil)
      expect(evil.preventDefault, event).toHaveBeenCalled()
      const localFile = nav('file:///etc/passwd')
      wc.emit(event, localFile)
      expect(localFile.preventDefault, event).toHaveBeenCalled()
      const inside = nav(`${appUrl}#/keys`)
      wc.emit(event, inside)
      expect(inside.preventDefault, event).not.toHaveBeenCalled()
    }
    expect(wc.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(wc.windowOpenHandler!({ url: appUrl })).toEqual({ action: 'deny' })
    const webview = { preventDefault: vi.fn() }
    wc.emit('will-attach-webview', webview)
    expect(webview.preventDefault).toHaveBeenCalled()
  })

  it('denies every permission request and check', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined
      h.state.permissionRequest!(h.state.windows[0]!.webContents, permission, (g) => (granted = g))
      expect(granted, permission).toBe(false)
    }
    expect(h.state.permissionCheck!(null, 'media', appUrl)).toBe(false)
  })

  it('hardens any other webContents that appears', () => {
    const other = new h.FakeWebContents()
    h.electron.app.emit('web-contents-created', {}, other)
    expect(other.windowOpenHandler!({ url: 'https://x.example' })).toEqual({ action: 'deny' })
    const evil = nav('https://evil.example/')
    other.emit('will-navigate', evil)
    expect(evil.preventDefault).toHaveBeenCalled()
  })

  it('handles exactly the contract channels', () => {
    expect([...h.state.handlers.keys()].sort()).toEqual([...CHANNELS].sort())
  })

  it("forwards calls from our window's main frame to the core", async () => {
    const reply = await h.state.handlers.get('tenants.list')!(fromWindow(), {})
    expect(reply).toMatchObject(ok)
    expect(h.coreInvoke).toHaveBeenCalledWith('tenants.list', {})
  })

  it('refuses untrusted senders with FORBIDDEN, without reaching the core', async () => {
    h.coreInvoke.mockClear()
    const win = h.state.windows[0]!.webContents
    const strangers = [
      { sender: win, senderFrame: mainFrame('https://evil.example/') },
      { sender: win, senderFrame: mainFrame('file:///tmp/downloaded.html') },
      { sender: win, senderFrame: mainFrame(pathToFileURL(join(rendererDir, '..', 'elsewhere.html')).href) },
      { sender: win, senderFrame: { url: appUrl, parent: mainFrame(appUrl) } },
      { sender: win, senderFrame: null },
      { sender: new h.FakeWebContents(), senderFrame: mainFrame(appUrl) }
    ]
    for (const event of strangers) {
      const reply = await h.state.handlers.get('keys.list')!(event, { tenant: 'x' })
      expect(reply, JSON.stringify(event.senderFrame)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(h.coreInvoke).not.toHaveBeenCalled()
  })

  it('turns a core that throws into an INTERNAL reply, not a rejection, and logs no key', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    h.coreInvoke.mockRejectedValueOnce(new Error(`boom ${'mqu_live_' + 'A'.repeat(28)}x7Kf`))
    const reply = await h.state.handlers.get('app.info')!(fromWindow(), {})
    const logged = stderr.mock.calls.map((c) => String(c[0])).join('')
    stderr.mockRestore()
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(reply)).not.toContain('AAAAAAAA')
    expect(logged).toContain('mqu_live_...x7Kf')
    expect(logged).not.toContain('AAAAAAAA')
  })

  it('logs uncaught exceptions and rejections with keys masked', () => {
    expect(Object.keys(crash).sort()).toEqual(['uncaughtException', 'unhandledRejection'])
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    crash.uncaughtException!(new Error('failed with mqk_ZZZZZZZZZZZZZZZZ9a8b'))
    crash.unhandledRejection!('Bearer mqu_test_YYYYYYYYYYYYYYYYq1w2')
    const logged = stderr.mock.calls.map((c) => String(c[0])).join('')
    stderr.mockRestore()
    expect(logged).toContain('mqk_...9a8b')
    expect(logged).toContain('mqu_test_...')
    expect(logged).not.toMatch(/ZZZZZZZZ|YYYYYYYY/)
  })

  it('focuses the existing window when a second instance starts', () => {
    h.electron.app.emit('second-instance', {}, [], '/')
    expect(h.state.windows[0]!.focused).toBe(true)
  })

  it('quits when the last window closes (except on macOS)', () => {
    h.state.calls.length = 0
    h.electron.app.emit('window-all-closed')
    expect(h.state.calls.includes('quit')).toBe(process.platform !== 'darwin')
  })

  it('disposes the core (reveal slots, clipboard) before quitting', async () => {
    h.state.calls.length = 0
    const event = { preventDefault: vi.fn() }
    h.electron.app.emit('before-quit', event)
    expect(event.preventDefault).toHaveBeenCalled()
    expect(h.coreDispose).toHaveBeenCalledTimes(1)
    await new Promise((r) => setTimeout(r, 0))
    expect(h.state.calls).toContain('quit')
    // The second before-quit (from that quit) goes through.
    const again = { preventDefault: vi.fn() }
    h.electron.app.emit('before-quit', again)
    expect(again.preventDefault).not.toHaveBeenCalled()
    expect(h.coreDispose).toHaveBeenCalledTimes(1)
  })
})

describe('the Electron shell (development with electron-vite dev)', () => {
  const devUrl = 'http://localhost:5173'
  beforeAll(async () => {
    await boot({ packaged: false, env: { KEYDESK_DATA_DIR: undefined, ELECTRON_RENDERER_URL: devUrl } })
  })

  it('loads the dev server and uses the default userData dir', () => {
    expect(h.state.windows[0]!.loaded).toBe(devUrl)
    expect(h.state.calls).not.toContain('setPath userData')
    expect(h.createCoreOptions[0]).toMatchObject({ dataDir: '/fake/userData' })
  })

  it("relaxes the CSP only for the dev server's origin and HMR socket", () => {
    let out: { responseHeaders: Record<string, string[]> } | undefined
    h.state.headersListener!({ responseHeaders: {} }, (r) => (out = r as typeof out))
    const csp = out!.responseHeaders['Content-Security-Policy']![0]!
    expect(csp).toContain(`script-src 'self' 'unsafe-inline' ${devUrl};`)
    expect(csp).toContain(`connect-src 'self' ${devUrl} ws://localhost:5173;`)
    expect(csp).toContain("default-src 'none'")
    expect(csp).not.toContain('unsafe-eval')
  })

  it('trusts the dev server origin and nothing else', async () => {
    expect(await h.state.handlers.get('tenants.list')!(fromWindow(`${devUrl}/`), {})).toMatchObject(ok)
    expect(await h.state.handlers.get('tenants.list')!(fromWindow(appUrl), {})).toMatchObject({ error: { code: 'FORBIDDEN' } })
    expect(await h.state.handlers.get('tenants.list')!(fromWindow('http://localhost:5174/'), {})).toMatchObject({ error: { code: 'FORBIDDEN' } })
    const evil = nav('http://127.0.0.1:5173/')
    h.state.windows[0]!.webContents.emit('will-navigate', evil)
    expect(evil.preventDefault).toHaveBeenCalled()
  })
})

describe('the Electron shell (unpackaged without a dev server, as in npm start)', () => {
  beforeAll(async () => {
    await boot({ packaged: false, env: { ELECTRON_RENDERER_URL: undefined } })
  })

  it('loads the built renderer with the production CSP', () => {
    expect(h.state.windows[0]!.loaded).toBe(join(rendererDir, 'index.html'))
    let out: { responseHeaders: Record<string, string[]> } | undefined
    h.state.headersListener!({ responseHeaders: {} }, (r) => (out = r as typeof out))
    expect(out!.responseHeaders['Content-Security-Policy']![0]).not.toMatch(/localhost|ws:/)
  })
})

describe('a second KeyDesk instance', () => {
  beforeAll(async () => {
    await boot({ packaged: true, lock: false })
  })

  it('quits without a window, IPC handlers or a core', () => {
    expect(h.state.calls).toContain('requestSingleInstanceLock')
    expect(h.state.calls).toContain('quit')
    expect(h.state.windows).toHaveLength(0)
    expect(h.state.handlers.size).toBe(0)
    expect(h.createCoreOptions).toHaveLength(0)
  })
})

afterAll(() => {
  vi.resetModules()
})

import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { EVENTS_CHANNEL } from '../../../src/shared/events'
import { CHANNELS } from '../../../src/shared/contract'
import { bootShell, FakeWebContents, type BootedShell } from '../../fixtures/fake-electron'

// Every test starts the real shell against a fresh fake Electron (test/fixtures/fake-electron.ts)
// and a stub core, so nothing one test does (a window shown, a quit, a handler) reaches another.
let s: BootedShell

// What the shell computes from src/main/electron/app.ts's __dirname (out/main in a build).
const rendererDir = join(__dirname, '../../../src/main/renderer')
const appUrl = pathToFileURL(join(rendererDir, 'index.html')).href
const mainFrame = (url: string) => ({ url, parent: null })
const fromWindow = (url = appUrl) => ({ sender: s.state.windows[0]!.webContents, senderFrame: mainFrame(url) })
const nav = (url: string) => ({ url, preventDefault: vi.fn() })
const ok = { ok: true, data: { channel: 'tenants.list' } }

describe('the Electron shell (packaged build)', () => {
  beforeEach(async () => {
    // The dev server variable is set on purpose: a packaged build must ignore it.
    s = await bootShell({
      packaged: true,
      env: { KEYDESK_DATA_DIR: '/tmp/keydesk-shell-test', ELECTRON_RENDERER_URL: 'http://localhost:5173' }
    })
  })

  it('enables the sandbox and takes the single-instance lock before the app is ready', () => {
    const at = (c: string) => s.state.calls.indexOf(c)
    expect(at('enableSandbox')).toBeGreaterThanOrEqual(0)
    expect(at('requestSingleInstanceLock')).toBeGreaterThanOrEqual(0)
    expect(at('enableSandbox')).toBeLessThan(at('whenReady'))
    expect(at('requestSingleInstanceLock')).toBeLessThan(at('whenReady'))
    expect(at('whenReady')).toBeLessThan(at('new BrowserWindow'))
  })

  it('creates one window with the hardened webPreferences', () => {
    expect(s.state.windows).toHaveLength(1)
    const prefs = s.state.windows[0]!.options.webPreferences
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
    const win = s.state.windows[0]!
    expect(win.options).toMatchObject({ width: 1280, height: 800, minWidth: 960, minHeight: 600, show: false, title: 'KeyDesk' })
    expect(win.options.backgroundColor).toBe('#0f1115')
    expect(win.shown).toBe(false)
    win.emit('ready-to-show')
    expect(win.shown).toBe(true)
  })

  it('shows notifications; a click tells the core and brings the window forward', () => {
    const notifier = s.core.options[0]!.notifier as { notify(t: string, b: string, o?: { onClick?: () => void }): void }
    const clicks: string[] = []
    notifier.notify('3 keys in acme-prod expire within 7 days', '3 within 7 days: a, b, c', { onClick: () => clicks.push('core told') })
    const shown = s.state.notifications.at(-1)!
    expect(shown.options).toMatchObject({ title: '3 keys in acme-prod expire within 7 days', body: '3 within 7 days: a, b, c' })
    const win = s.state.windows[0]!
    win.focused = false
    shown.emit('click')
    expect(clicks).toEqual(['core told'])
    expect(win.focused).toBe(true)
  })

  it('loads the built renderer, never the dev server, in a packaged build', () => {
    expect(s.state.windows[0]!.loaded).toBe(join(rendererDir, 'index.html'))
  })

  it('ignores KEYDESK_DATA_DIR: the signed binary keeps its own data dir', () => {
    // Another program could otherwise point KeyDesk's signed binary (and its keychain items) at a
    // data dir it crafted, which is the borrowing the fuses are there to stop.
    expect(s.state.calls).not.toContain('setPath userData')
    expect(s.core.options[0]).toMatchObject({ dataDir: '/fake/userData' })
  })

  it('lends the core the keychain and the Electron clipboard', async () => {
    expect(s.core.options[0]).toMatchObject({ secretStore: { kind: 'keytar' }, appVersion: '0.1.0-test' })
    const clipboard = s.core.options[0]!.clipboard as { writeText(t: string): void; readText(): string | Promise<string> }
    clipboard.writeText('mqu_live_copied')
    expect(s.state.clipboardText).toBe('mqu_live_copied')
    expect(await clipboard.readText()).toBe('mqu_live_copied')
  })

  it('installs a strict CSP on every response, without the dev server', () => {
    let out: { responseHeaders: Record<string, string[]> } | undefined
    s.state.headersListener!({ responseHeaders: { 'x-other': ['1'] } }, (r) => (out = r as typeof out))
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
    const wc = s.state.windows[0]!.webContents
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
      s.state.permissionRequest!(s.state.windows[0]!.webContents, permission, (g) => (granted = g))
      expect(granted, permission).toBe(false)
    }
    expect(s.state.permissionCheck!(null, 'media', appUrl)).toBe(false)
  })

  it('hardens any other webContents that appears', () => {
    const other = new FakeWebContents()
    s.fake.electron.app.emit('web-contents-created', {}, other)
    expect(other.windowOpenHandler!({ url: 'https://x.example' })).toEqual({ action: 'deny' })
    const evil = nav('https://evil.example/')
    other.emit('will-navigate', evil)
    expect(evil.preventDefault).toHaveBeenCalled()
  })

  it('handles exactly the contract channels', () => {
    expect([...s.state.handlers.keys()].sort()).toEqual([...CHANNELS].sort())
  })

  it("sends main's events to our window while it shows our page, and to nothing else", () => {
    const win = s.state.windows[0]!.webContents
    const batch = { events: [{ type: 'notice', seq: 1 }] }
    for (const l of s.core.eventListeners) l(batch)
    expect(win.sent).toEqual([[EVENTS_CHANNEL, batch]])
    win.url = 'https://evil.example/'
    for (const l of s.core.eventListeners) l(batch)
    expect(win.sent).toHaveLength(1)
  })

  it("forwards calls from our window's main frame to the core", async () => {
    const reply = await s.state.handlers.get('tenants.list')!(fromWindow(), {})
    expect(reply).toMatchObject(ok)
    expect(s.core.invoke).toHaveBeenCalledWith('tenants.list', {})
  })

  it('refuses untrusted senders with FORBIDDEN, without reaching the core', async () => {
    s.core.invoke.mockClear()
    const win = s.state.windows[0]!.webContents
    const strangers = [
      { sender: win, senderFrame: mainFrame('https://evil.example/') },
      { sender: win, senderFrame: mainFrame('file:///tmp/downloaded.html') },
      { sender: win, senderFrame: mainFrame(pathToFileURL(join(rendererDir, '..', 'elsewhere.html')).href) },
      { sender: win, senderFrame: { url: appUrl, parent: mainFrame(appUrl) } },
      { sender: win, senderFrame: null },
      { sender: new FakeWebContents(), senderFrame: mainFrame(appUrl) }
    ]
    for (const event of strangers) {
      const reply = await s.state.handlers.get('keys.list')!(event, { tenant: 'x' })
      expect(reply, JSON.stringify(event.senderFrame)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(s.core.invoke).not.toHaveBeenCalled()
  })

  it('turns a core that throws into an INTERNAL reply, not a rejection, and logs no key', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    s.core.invoke.mockRejectedValueOnce(new Error(`boom ${'mqu_live_' + 'A'.repeat(28)}x7Kf`))
    const reply = await s.state.handlers.get('app.info')!(fromWindow(), {})
    const logged = stderr.mock.calls.map((c) => String(c[0])).join('')
    stderr.mockRestore()
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(reply)).not.toContain('AAAAAAAA')
    expect(logged).toContain('mqu_live_...x7Kf')
    expect(logged).not.toContain('AAAAAAAA')
  })

  it('logs uncaught exceptions and rejections with keys masked', () => {
    expect(Object.keys(s.crash).sort()).toEqual(['uncaughtException', 'unhandledRejection'])
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    s.crash.uncaughtException!(new Error('failed with mqk_ZZZZZZZZZZZZZZZZ9a8b'))
    s.crash.unhandledRejection!('Bearer mqu_test_YYYYYYYYYYYYYYYYq1w2')
    const logged = stderr.mock.calls.map((c) => String(c[0])).join('')
    stderr.mockRestore()
    expect(logged).toContain('mqk_...9a8b')
    expect(logged).toContain('mqu_test_...')
    expect(logged).not.toMatch(/ZZZZZZZZ|YYYYYYYY/)
  })

  it('focuses the existing window when a second instance starts', () => {
    s.fake.electron.app.emit('second-instance', {}, [], '/')
    expect(s.state.windows[0]!.focused).toBe(true)
  })

  it('quits when the last window closes (except on macOS)', () => {
    s.state.calls.length = 0
    s.fake.electron.app.emit('window-all-closed')
    expect(s.state.calls.includes('quit')).toBe(process.platform !== 'darwin')
  })

  it('disposes the core (reveal slots, clipboard) before quitting', async () => {
    s.state.calls.length = 0
    const event = { preventDefault: vi.fn() }
    s.fake.electron.app.emit('before-quit', event)
    expect(event.preventDefault).toHaveBeenCalled()
    expect(s.core.dispose).toHaveBeenCalledTimes(1)
    await new Promise((r) => setTimeout(r, 0))
    expect(s.state.calls).toContain('quit')
    // The second before-quit (from that quit) goes through.
    const again = { preventDefault: vi.fn() }
    s.fake.electron.app.emit('before-quit', again)
    expect(again.preventDefault).not.toHaveBeenCalled()
    expect(s.core.dispose).toHaveBeenCalledTimes(1)
  })
})

describe('the Electron shell (development with electron-vite dev)', () => {
  const devUrl = 'http://localhost:5173'
  beforeEach(async () => {
    s = await bootShell({ packaged: false, env: { KEYDESK_DATA_DIR: undefined, ELECTRON_RENDERER_URL: devUrl } })
  })

  it('loads the dev server and uses the default userData dir', () => {
    expect(s.state.windows[0]!.loaded).toBe(devUrl)
    expect(s.state.calls).not.toContain('setPath userData')
    expect(s.core.options[0]).toMatchObject({ dataDir: '/fake/userData' })
  })

  it("relaxes the CSP only for the dev server's origin and HMR socket", () => {
    let out: { responseHeaders: Record<string, string[]> } | undefined
    s.state.headersListener!({ responseHeaders: {} }, (r) => (out = r as typeof out))
    const csp = out!.responseHeaders['Content-Security-Policy']![0]!
    expect(csp).toContain(`script-src 'self' 'unsafe-inline' ${devUrl};`)
    expect(csp).toContain(`connect-src 'self' ${devUrl} ws://localhost:5173;`)
    expect(csp).toContain("default-src 'none'")
    expect(csp).not.toContain('unsafe-eval')
  })

  it('trusts the dev server origin and nothing else', async () => {
    expect(await s.state.handlers.get('tenants.list')!(fromWindow(`${devUrl}/`), {})).toMatchObject(ok)
    expect(await s.state.handlers.get('tenants.list')!(fromWindow(appUrl), {})).toMatchObject({ error: { code: 'FORBIDDEN' } })
    expect(await s.state.handlers.get('tenants.list')!(fromWindow('http://localhost:5174/'), {})).toMatchObject({ error: { code: 'FORBIDDEN' } })
    const evil = nav('http://127.0.0.1:5173/')
    s.state.windows[0]!.webContents.emit('will-navigate', evil)
    expect(evil.preventDefault).toHaveBeenCalled()
  })
})

describe('the Electron shell (unpackaged without a dev server, as in npm start)', () => {
  beforeEach(async () => {
    s = await bootShell({ packaged: false, env: { ELECTRON_RENDERER_URL: undefined, KEYDESK_DATA_DIR: '/tmp/keydesk-shell-dev' } })
  })

  it('honours KEYDESK_DATA_DIR when running from source (tests, development)', () => {
    expect(s.state.calls).toContain('setPath userData')
    expect(s.core.options[0]).toMatchObject({ dataDir: '/tmp/keydesk-shell-dev' })
  })

  it('loads the built renderer with the production CSP', () => {
    expect(s.state.windows[0]!.loaded).toBe(join(rendererDir, 'index.html'))
    let out: { responseHeaders: Record<string, string[]> } | undefined
    s.state.headersListener!({ responseHeaders: {} }, (r) => (out = r as typeof out))
    expect(out!.responseHeaders['Content-Security-Policy']![0]).not.toMatch(/localhost|ws:/)
  })
})

describe('a second KeyDesk instance', () => {
  beforeEach(async () => {
    s = await bootShell({ packaged: true, lock: false })
  })

  it('quits without a window, IPC handlers or a core', () => {
    expect(s.state.calls).toContain('requestSingleInstanceLock')
    expect(s.state.calls).toContain('quit')
    expect(s.state.windows).toHaveLength(0)
    expect(s.state.handlers.size).toBe(0)
    expect(s.core.options).toHaveLength(0)
  })
})

describe('a packaged KeyDesk started with a debugging switch', () => {
  // No fuse covers Chromium's remote debugging: through it a local process could drive the
  // renderer and call keys.create or secrets.reveal. Node's --inspect is fused off too, but the
  // shell refuses it as well.
  const cases: Array<{ name: string; argv?: string[]; switches?: string[] }> = [
    { name: '--remote-debugging-port=9222 on the command line', argv: ['--remote-debugging-port=9222'] },
    { name: '--remote-debugging-pipe on the command line', argv: ['--remote-debugging-pipe'] },
    { name: '--inspect-brk=9229 on the command line', argv: ['--inspect-brk=9229'] },
    { name: '--inspect on the command line', argv: ['--inspect'] },
    { name: 'remote-debugging-port known only to Chromium', switches: ['remote-debugging-port'] },
    { name: 'remote-debugging-pipe known only to Chromium', switches: ['remote-debugging-pipe'] },
    { name: 'inspect-port known only to Chromium', switches: ['inspect-port'] }
  ]
  for (const c of cases) {
    it(`quits at once with one line of reason: ${c.name}`, async () => {
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
      try {
        s = await bootShell({ packaged: true, argv: c.argv, switches: c.switches })
        expect(s.state.calls).toContain('exit 1')
        expect(s.state.calls).not.toContain('enableSandbox')
        expect(s.state.calls).not.toContain('whenReady')
        expect(s.state.windows).toHaveLength(0)
        expect(s.state.handlers.size).toBe(0)
        expect(s.core.options).toHaveLength(0)
        const written = stderr.mock.calls.map(([chunk]) => String(chunk)).join('')
        expect(written).toMatch(/^KeyDesk will not start with --(remote-debugging|inspect)[^\n]*\n$/)
      } finally {
        stderr.mockRestore()
      }
    })
  }

  it('starts normally without one, and an unpackaged build keeps its debugging switches', async () => {
    s = await bootShell({ packaged: true, argv: ['--some-other-switch', '/tmp/inspect-me'] })
    expect(s.state.calls).not.toContain('exit 1')
    expect(s.state.windows).toHaveLength(1)
    s = await bootShell({ packaged: false, argv: ['--remote-debugging-port=9222'], switches: ['remote-debugging-port'] })
    expect(s.state.calls).not.toContain('exit 1')
    expect(s.state.windows).toHaveLength(1)
  })
})

afterAll(() => {
  vi.resetModules()
})

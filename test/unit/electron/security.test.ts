import { describe, expect, it, vi } from 'vitest'
import { CHANNELS } from '../../../src/shared/contract'
import { createLogger, silentLogger } from '../../../src/main/core/log'
import { registerIpc } from '../../../src/main/electron/ipc'
import { buildWebPreferences, debuggingSwitch, isAppUrl } from '../../../src/main/electron/security'

// security.ts and ipc.ts import only types from 'electron': no fake needed here (and tests may
// not import 'electron', even for types: the lint rule keeps it to the shell).
type IpcMain = Parameters<typeof registerIpc>[0]
type IpcMainInvokeEvent = Parameters<Parameters<typeof registerIpc>[2]>[0]

describe('buildWebPreferences', () => {
  it('is the security checklist, with the preload given', () => {
    expect(buildWebPreferences('/app/out/preload/index.js')).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false
    })
  })
})

describe('isAppUrl', () => {
  const base = 'file:///opt/KeyDesk/resources/app.asar/out/renderer/'

  it('accepts the built renderer files only', () => {
    expect(isAppUrl('file:///opt/KeyDesk/resources/app.asar/out/renderer/index.html', base, 'linux')).toBe(true)
    expect(isAppUrl('file:///opt/KeyDesk/resources/app.asar/out/renderer/index.html#/keys?x=1', base, 'linux')).toBe(true)
    expect(isAppUrl('file:///etc/passwd', base, 'linux')).toBe(false)
    expect(isAppUrl('file:///opt/KeyDesk/resources/app.asar/out/renderer-evil/index.html', base, 'linux')).toBe(false)
    expect(isAppUrl('file:///opt/KeyDesk/resources/app.asar/out/renderer/../main/index.js', base, 'linux')).toBe(false)
    expect(isAppUrl('file:///opt/KeyDesk/resources/app.asar/out/renderer/%2e%2e%2fmain.html', base, 'linux')).toBe(false)
    expect(isAppUrl('file:///opt/KeyDesk/resources/app.asar/out/renderer/..%2fmain.html', base, 'linux')).toBe(false)
    expect(isAppUrl('file://evil-host/opt/KeyDesk/resources/app.asar/out/renderer/index.html', base, 'linux')).toBe(false)
    expect(isAppUrl('https://evil.example/', base, 'linux')).toBe(false)
    expect(isAppUrl('not a url', base, 'linux')).toBe(false)
  })

  it('folds case only where the file system does', () => {
    const upper = 'file:///opt/KeyDesk/resources/app.asar/out/RENDERER/index.html'
    expect(isAppUrl(upper, base, 'linux')).toBe(false)
    expect(isAppUrl(upper, base, 'win32')).toBe(true)
    expect(isAppUrl('file:///c:/Program%20Files/KeyDesk/out/renderer/index.html', 'file:///C:/Program%20Files/KeyDesk/out/renderer/', 'win32')).toBe(
      true
    )
  })

  it('compares the dev server by origin', () => {
    expect(isAppUrl('http://localhost:5173/index.html', 'http://localhost:5173', 'linux')).toBe(true)
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173', 'linux')).toBe(false)
    expect(isAppUrl('https://localhost:5173/', 'http://localhost:5173', 'linux')).toBe(false)
    expect(isAppUrl('file:///etc/passwd', 'http://localhost:5173', 'linux')).toBe(false)
  })
})

describe('debuggingSwitch', () => {
  const none = () => false
  it('finds remote debugging and inspector switches in argv, however Chromium would read them', () => {
    const exe = ['/opt/KeyDesk/keydesk']
    expect(debuggingSwitch([...exe, '--remote-debugging-port=9222'], none, 'linux')).toBe('--remote-debugging-port')
    expect(debuggingSwitch([...exe, '-remote-debugging-pipe'], none, 'linux')).toBe('--remote-debugging-pipe')
    expect(debuggingSwitch([...exe, '--inspect-publish-uid=http'], none, 'linux')).toBe('--inspect-publish-uid')
    expect(debuggingSwitch(['C:\\KeyDesk.exe', '/Remote-Debugging-Port=9222'], none, 'win32')).toBe('--remote-debugging-port')
    expect(debuggingSwitch(['C:\\KeyDesk.exe', '--INSPECT'], none, 'win32')).toBe('--inspect')
  })
  it('ignores look-alikes, and anything after a bare --', () => {
    expect(debuggingSwitch(['/opt/kd', '/inspect-report', '--inspector-theme', '--remote-debugging-portal'], none, 'linux')).toBeUndefined()
    expect(debuggingSwitch(['/opt/kd', '--', '--remote-debugging-port=1'], none, 'linux')).toBeUndefined()
  })
  it("asks Chromium's own command line too", () => {
    expect(debuggingSwitch(['/opt/kd'], (n) => n === 'remote-debugging-pipe', 'linux')).toBe('--remote-debugging-pipe')
  })
})

describe('registerIpc', () => {
  function fakeIpcMain() {
    const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>()
    const ipcMain = {
      handle: (c: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) => void handlers.set(c, fn),
      removeHandler: (c: string) => void handlers.delete(c)
    }
    return { handlers, ipcMain: ipcMain as unknown as IpcMain }
  }
  const event = {} as IpcMainInvokeEvent

  it('registers exactly the contract channels and unregisters them all', () => {
    const { handlers, ipcMain } = fakeIpcMain()
    const unregister = registerIpc(ipcMain, { invoke: vi.fn() }, () => true, silentLogger)
    expect(new Set(handlers.keys())).toEqual(new Set(CHANNELS))
    unregister()
    expect(handlers.size).toBe(0)
  })

  it('checks the sender before the core sees anything', async () => {
    const { handlers, ipcMain } = fakeIpcMain()
    const invoke = vi.fn()
    registerIpc(ipcMain, { invoke }, () => false, silentLogger)
    for (const channel of CHANNELS) {
      expect(await handlers.get(channel)!(event, {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    expect(invoke).not.toHaveBeenCalled()
  })

  it('never rejects: a throwing core or sender check becomes a reply', async () => {
    const { handlers, ipcMain } = fakeIpcMain()
    registerIpc(ipcMain, { invoke: () => Promise.reject(new Error('boom')) }, () => true, silentLogger)
    await expect(handlers.get('app.info')!(event, {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    const sync = fakeIpcMain()
    registerIpc(
      sync.ipcMain,
      {
        invoke: () => {
          throw new Error('sync boom')
        }
      },
      () => true,
      silentLogger
    )
    await expect(sync.handlers.get('app.info')!(event, {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    const badCheck = fakeIpcMain()
    registerIpc(
      badCheck.ipcMain,
      { invoke: vi.fn() },
      () => {
        throw new Error('frame gone')
      },
      silentLogger
    )
    await expect(badCheck.handlers.get('app.info')!(event, {})).resolves.toMatchObject({ ok: false })
  })
})

describe('the main-process logger', () => {
  it('masks anything that looks like a key down to prefix...last4', () => {
    const lines: string[] = []
    const log = createLogger((l) => lines.push(l))
    log.error('keys mqu_live_AbCdEfGh12345678x7Kf and mqk_QwErTyUiOp9a8b', new Error('Bearer mqu_test_ZZZZZZZZZZZZq1w2'))
    log.warn('context', { adminKey: 'mqu_live_SECRETSECRETSECRETabcd' })
    const text = lines.join('\n')
    expect(text).toContain('mqu_live_...x7Kf')
    expect(text).toContain('mqk_...9a8b')
    expect(text).toContain('mqu_test_...q1w2')
    expect(text).toContain('mqu_live_...abcd')
    expect(text).not.toMatch(/AbCdEfGh|QwErTyUi|ZZZZZZZZ|SECRET/)
  })

  it('leaves previews alone', () => {
    const lines: string[] = []
    createLogger((l) => lines.push(l)).info('revoked mqu_live_...x7Kf')
    expect(lines[0]).toContain('mqu_live_...x7Kf')
  })
})

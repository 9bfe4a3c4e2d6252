import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createCore, createKeytarSecretStore, type Core, type SecretStore } from '../core'
import { createLogger } from '../core/log'
import { forwardEvents, registerIpc } from './ipc'
import { utilityKeychainWorker } from './keychain-worker'
import { electronClipboard, electronFileSaver, electronNotifier, electronScanPicker } from './ports'
import { debuggingSwitch, hardenSession, hardenWebContents, isAppUrl, type AppBase } from './security'
import { createMainWindow } from './window'

/** How long quitting waits for the core to clear reveal slots and the clipboard. */
const DISPOSE_TIMEOUT_MS = 3000

/** The whole Electron bootstrap: security first, then the core, IPC and the window. */
export function startShell(): void {
  // A packaged build holds the operator's admin keys: no debugger may be attached to it, and
  // nothing else starts (not the core, not a window) when one was asked for.
  if (app.isPackaged) {
    const found = debuggingSwitch(process.argv, (name) => app.commandLine.hasSwitch(name))
    if (found) {
      process.stderr.write(`KeyDesk will not start with ${found}: a debugger could drive it and read its keys.\n`)
      app.exit(1)
      return
    }
  }

  const log = createLogger()
  process.on('uncaughtException', (err) => log.error('uncaught exception in main', err))
  process.on('unhandledRejection', (err) => log.error('unhandled rejection in main', err))

  // Every renderer sandboxed, before anything else happens.
  app.enableSandbox()
  // Only when running from source (tests, development): a packaged build keeps its own data dir,
  // or any program could start the signed binary on a data dir it crafted (profiles.json with its
  // own base URLs) and have KeyDesk use the keychain items for it, the borrowing the fuses stop.
  if (!app.isPackaged && process.env.KEYDESK_DATA_DIR) app.setPath('userData', process.env.KEYDESK_DATA_DIR)
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }

  // The dev server only when running from source with electron-vite dev; never in a packaged build.
  const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL || undefined : undefined
  const rendererDir = join(__dirname, '../renderer')
  const appBase: AppBase = devServerUrl ? new URL(devServerUrl).origin : pathToFileURL(`${rendererDir}/`).href
  let window: BrowserWindow | null = null
  let core: Core | undefined
  let secretStore: SecretStore | undefined

  app.on('second-instance', () => {
    if (!window) return
    if (window.isMinimized()) window.restore()
    window.focus()
  })

  // Any webContents that ever appears gets the same locks as ours.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appBase))

  app.on('render-process-gone', (_event, _contents, details) => log.error('renderer process gone', details))
  app.on('child-process-gone', (_event, details) => log.error('child process gone', details))

  // Our window's main frame, showing our own files: anything else is refused before the core.
  const isTrustedSender = (event: IpcMainInvokeEvent) => {
    const frame = event.senderFrame
    return !!window && event.sender === window.webContents && !!frame && !frame.parent && isAppUrl(frame.url, appBase)
  }

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession, { devServerUrl })
    core = createCore({
      dataDir: app.getPath('userData'),
      // keytar runs in a utility process: a native crash there (a locked keyring) cannot take main down.
      secretStore: (secretStore = createKeytarSecretStore(undefined, { launch: utilityKeychainWorker() })),
      clipboard: electronClipboard,
      notifier: electronNotifier(() => window),
      fileSaver: electronFileSaver(() => window),
      scanPicker: electronScanPicker(() => window),
      logger: log,
      appVersion: app.getVersion(),
      platform: process.platform,
      // Every tenant kept current without a visit; hosts probed so a host that goes is noticed.
      backgroundSync: {}
    })
    registerIpc(ipcMain, core, isTrustedSender, log)
    forwardEvents(
      core,
      () => window?.webContents ?? null,
      (url) => isAppUrl(url, appBase),
      log
    )
    const open = () => {
      window = createMainWindow({
        preloadPath: join(__dirname, '../preload/index.js'),
        renderer: devServerUrl ? { url: devServerUrl } : { file: join(rendererDir, 'index.html') },
        appBase
      })
      window.on('closed', () => (window = null))
    }
    open()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  let disposed = false
  app.on('before-quit', (event) => {
    if (disposed || !core) return
    // Clear reveal slots and a clipboard still holding a key, stop the sandbox, then quit.
    event.preventDefault()
    disposed = true
    const giveUp = new Promise<void>((resolve) => setTimeout(resolve, DISPOSE_TIMEOUT_MS).unref())
    const store = secretStore
    void Promise.race([core.dispose().then(() => store?.dispose?.()), giveUp])
      .catch((err: unknown) => log.error('core.dispose failed', err))
      .finally(() => app.quit())
  })
}

import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron'
import { join } from 'node:path'
import { createCore, createKeytarSecretStore, type Core } from '../core'
import { createLogger } from '../core/log'
import { registerIpc } from './ipc'
import { electronClipboard, electronFileSaver, electronNotifier } from './ports'
import { hardenSession, hardenWebContents, isAppUrl } from './security'
import { createMainWindow } from './window'

/** The whole Electron bootstrap: security first, then the core, IPC and the window. */
export function startShell(): void {
  const log = createLogger()
  process.on('uncaughtException', (err) => log.error('uncaught exception in main', err))
  process.on('unhandledRejection', (err) => log.error('unhandled rejection in main', err))

  // Every renderer sandboxed, before anything else happens.
  app.enableSandbox()
  if (process.env.KEYDESK_DATA_DIR) app.setPath('userData', process.env.KEYDESK_DATA_DIR)
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }

  const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
  const appOrigin = devServerUrl ? new URL(devServerUrl).origin : 'file://'
  let window: BrowserWindow | null = null
  let core: Core | undefined

  app.on('second-instance', () => {
    if (!window) return
    if (window.isMinimized()) window.restore()
    window.focus()
  })

  // Any webContents that ever appears gets the same locks as ours.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appOrigin))

  const isTrustedSender = (event: IpcMainInvokeEvent) =>
    !!window && event.sender === window.webContents && !!event.senderFrame && isAppUrl(event.senderFrame.url, appOrigin)

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession, { devServerUrl })
    core = createCore({
      dataDir: app.getPath('userData'),
      secretStore: createKeytarSecretStore(),
      clipboard: electronClipboard,
      notifier: electronNotifier,
      fileSaver: electronFileSaver(() => window),
      logger: log,
      appVersion: app.getVersion(),
      platform: process.platform
    })
    registerIpc(ipcMain, core, isTrustedSender, log)
    const open = () => {
      window = createMainWindow({
        preloadPath: join(__dirname, '../preload/index.js'),
        renderer: devServerUrl ? { url: devServerUrl } : { file: join(__dirname, '../renderer/index.html') },
        appOrigin
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
    void core.dispose().finally(() => app.quit())
  })
}

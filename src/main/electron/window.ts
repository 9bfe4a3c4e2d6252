import { BrowserWindow, nativeTheme } from 'electron'
import { buildWebPreferences, hardenWebContents, type AppBase } from './security'

export interface WindowOptions {
  preloadPath: string
  /** The dev server (development) or the built index.html (everything else). */
  renderer: { url: string } | { file: string }
  /** The dev server's origin, or the file: URL of the renderer directory. */
  appBase: AppBase
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'KeyDesk',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f1115' : '#f7f7f9',
    autoHideMenuBar: true,
    webPreferences: buildWebPreferences(opts.preloadPath)
  })
  hardenWebContents(win.webContents, opts.appBase)
  win.once('ready-to-show', () => win.show())
  if ('url' in opts.renderer) void win.loadURL(opts.renderer.url)
  else void win.loadFile(opts.renderer.file)
  return win
}

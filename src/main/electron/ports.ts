import { clipboard, dialog, Notification, type BrowserWindow } from 'electron'
import { extname } from 'node:path'
import type { ClipboardPort, FileSaverPort, NotifierPort, ScanPickerPort } from '../core/ports'
import { createExportSaver } from '../core/fs/export-file'

/** The core's ports, backed by Electron. */
export const electronClipboard: ClipboardPort = {
  writeText: (text) => clipboard.writeText(text),
  readText: () => clipboard.readText()
}

/**
 * Electron's Notification. A click brings the window forward and tells the core (which keeps the
 * click's action for the UI: the radar, filtered). Shown notifications are held until clicked or
 * closed: one collected by the GC would lose its click handler.
 */
export function electronNotifier(window: () => BrowserWindow | null): NotifierPort {
  const live = new Set<Notification>()
  return {
    notify(title, body, options) {
      if (!Notification.isSupported()) return
      const n = new Notification({ title, body, silent: false })
      live.add(n)
      n.on('close', () => live.delete(n))
      n.on('click', () => {
        live.delete(n)
        options?.onClick?.()
        const win = window()
        if (!win) return
        if (win.isMinimized()) win.restore()
        win.show()
        win.focus()
      })
      n.show()
    }
  }
}

export function electronFileSaver(window: () => BrowserWindow | null): FileSaverPort {
  return createExportSaver(async (suggestedName) => {
    const ext = extname(suggestedName).slice(1) || 'txt'
    const win = window()
    const options = { defaultPath: suggestedName, filters: [{ name: ext.toUpperCase(), extensions: [ext] }] }
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
    return result.canceled || !result.filePath ? null : result.filePath
  })
}

/**
 * Leak triage's scan target through the OS open dialog. One dialog cannot offer files and folders
 * on every OS (Windows and Linux show only a folder picker when both are asked), so it asks for a
 * folder there and for either on macOS.
 */
export function electronScanPicker(window: () => BrowserWindow | null): ScanPickerPort {
  return {
    async choose() {
      const win = window()
      const options = {
        title: 'Scan for MeshQu keys',
        buttonLabel: 'Scan',
        properties: (process.platform === 'darwin' ? ['openFile', 'openDirectory'] : ['openDirectory']) as ('openFile' | 'openDirectory')[]
      }
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
      return result.canceled || !result.filePaths[0] ? null : result.filePaths[0]
    }
  }
}

import { clipboard, dialog, Notification, type BrowserWindow } from 'electron'
import { extname } from 'node:path'
import type { ClipboardPort, FileSaverPort, NotifierPort } from '../core/ports'
import { createExportSaver } from '../core/fs/export-file'

/** The core's ports, backed by Electron. */
export const electronClipboard: ClipboardPort = {
  writeText: (text) => clipboard.writeText(text),
  readText: () => clipboard.readText()
}

export const electronNotifier: NotifierPort = {
  notify(title, body) {
    if (Notification.isSupported()) new Notification({ title, body, silent: false }).show()
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

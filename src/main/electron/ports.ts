import { clipboard, dialog, Notification, type BrowserWindow } from 'electron'
import { extname } from 'node:path'
import type { ClipboardPort, FileSaverPort, NotifierPort } from '../core/ports'
import { atomicWriteFile } from '../core/fs/atomic-write'

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
  return {
    async save(suggestedName, content) {
      const ext = extname(suggestedName).slice(1) || 'txt'
      const win = window()
      const options = { defaultPath: suggestedName, filters: [{ name: ext.toUpperCase(), extensions: [ext] }] }
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options)
      if (result.canceled || !result.filePath) return null
      await atomicWriteFile(result.filePath, content, 0o644)
      return result.filePath
    }
  }
}

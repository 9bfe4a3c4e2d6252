// The sandboxed preload: exposes the typed bridge and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { createBridge } from '../shared/bridge'
import { EVENTS_CHANNEL } from '../shared/events'

contextBridge.exposeInMainWorld(
  'keydesk',
  createBridge(
    (channel, payload) => ipcRenderer.invoke(channel, payload),
    // Main's events: only main sends on this channel (webContents.send); the bridge checks each batch.
    (onBatch, onLink) => {
      const listener = (_event: IpcRendererEvent, batch: unknown) => onBatch(batch as never)
      ipcRenderer.on(EVENTS_CHANNEL, listener)
      onLink?.('open')
      return () => void ipcRenderer.removeListener(EVENTS_CHANNEL, listener)
    }
  )
)

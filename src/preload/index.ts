// The sandboxed preload: exposes the typed bridge and nothing else.
import { contextBridge, ipcRenderer } from 'electron'
import { createBridge } from '../shared/bridge'

contextBridge.exposeInMainWorld(
  'keydesk',
  createBridge((channel, payload) => ipcRenderer.invoke(channel, payload))
)

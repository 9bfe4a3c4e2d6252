// Bundled to an IIFE and injected before the app loads: the same createBridge as the preload,
// over Playwright's exposed function instead of Electron's IPC.
import { createBridge, type KeyDeskApi } from '../../../src/shared/bridge'

declare global {
  interface Window {
    __keydeskInvoke: (channel: string, payload: unknown) => Promise<unknown>
    keydesk: KeyDeskApi
  }
}

window.keydesk = createBridge((channel, payload) => window.__keydeskInvoke(channel, payload))

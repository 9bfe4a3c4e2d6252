// Bundled to an IIFE and injected before the app loads: the same createBridge as the preload,
// over Playwright's exposed function instead of Electron's IPC. Replies cross as one JSON string:
// Playwright's own argument serializer walks every value of a 10,000-key list one by one
// (seconds), while Electron's IPC structured-clones it; a string keeps the harness honest.
import { createBridge, type KeyDeskApi } from '../../../src/shared/bridge'

declare global {
  interface Window {
    __keydeskInvoke: (channel: string, payload: unknown) => Promise<string>
    keydesk: KeyDeskApi
  }
}

window.keydesk = createBridge(async (channel, payload) => JSON.parse(await window.__keydeskInvoke(channel, payload)))

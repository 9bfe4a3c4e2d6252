// Bundled to an IIFE and injected before the app loads: the same createBridge as the preload,
// over Playwright's exposed function instead of Electron's IPC. Replies cross as one JSON string:
// Playwright's own argument serializer walks every value of a 10,000-key list one by one
// (seconds), while Electron's IPC structured-clones it; a string keeps the harness honest.
// Main's event batches arrive the other way, pushed by the fixture (page.evaluate) as JSON text.
import { createBridge, type KeyDeskApi } from '../../../src/shared/bridge'

declare global {
  interface Window {
    __keydeskInvoke: (channel: string, payload: unknown) => Promise<string>
    __keydeskEvents: (json: string) => void
    keydesk: KeyDeskApi
  }
}

const subscribers = new Set<(raw: never) => void>()
window.__keydeskEvents = (json) => {
  const raw = JSON.parse(json) as never
  for (const s of subscribers) s(raw)
}

window.keydesk = createBridge(
  async (channel, payload) => JSON.parse(await window.__keydeskInvoke(channel, payload)),
  (onBatch, onLink) => {
    subscribers.add(onBatch)
    onLink?.('open')
    return () => void subscribers.delete(onBatch)
  }
)

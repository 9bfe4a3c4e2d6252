import { parentPort, workerData } from 'node:worker_threads'
import { CoreError } from '../../errors'
import type { Logger } from '../../log'
import { createFleetStore, type InProcessFleetStore } from '../fleet-store'
import { StoreRefusedError } from '../refusal'
import { isStoreCall, type FromWorker, type ToWorker, type WireError } from './protocol'

/**
 * The fleet store's own thread (a worker_threads worker, like Signal Desktop's SQL worker): the
 * one SQLCipher connection and every statement run here, so main's event loop never waits on
 * SQLite. Main sends the data key it read from the keychain with 'open'; every other message is
 * one call of the store interface with plain data, answered in order, one at a time (one writer).
 */
const port = parentPort
if (!port) throw new Error('store-worker.ts runs only as a worker thread')
const { path } = workerData as { path: string }

const send = (m: FromWorker) => port.postMessage(m)

function toWire(err: unknown): WireError {
  if (err instanceof StoreRefusedError) return { name: err.name, message: err.message, core: err.toAppError(), problem: err.problem }
  if (err instanceof CoreError) return { name: err.name, message: err.message, core: err.toAppError() }
  const e = err instanceof Error ? err : new Error(String(err))
  const code = (e as { code?: unknown }).code
  return { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) }
}

// Log lines go to main's logger, which redacts and writes them.
const line = (message: string, data?: unknown) =>
  send({ type: 'log', message, ...(data instanceof Error ? { detail: `${data.name}: ${data.message}` } : {}) })
const log: Logger = { debug: () => {}, info: line, warn: line, error: line }

let store: InProcessFleetStore | undefined
const staged = new Map<number, unknown[]>()
let queue: Promise<void> = Promise.resolve()

function resolvePath(path: string): ((...args: unknown[]) => Promise<unknown>) | undefined {
  let target: unknown = store
  for (const part of path.split('.')) target = (target as Record<string, unknown> | undefined)?.[part]
  if (typeof target !== 'function') return undefined
  const owner = path.includes('.')
    ? path
        .split('.')
        .slice(0, -1)
        .reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], store)
    : store
  return (target as (...args: unknown[]) => Promise<unknown>).bind(owner)
}

async function handle(m: ToWorker): Promise<void> {
  if (m.type === 'stage') {
    const list = staged.get(m.token) ?? []
    for (const item of m.items) list.push(item)
    staged.set(m.token, list)
    return
  }
  try {
    if (m.type === 'open') {
      const key = Buffer.from(m.key)
      const startedAt = m.now
      const t0 = Date.now()
      store ??= createFleetStore({
        path,
        dataKey: async () => key,
        log,
        now: () => startedAt + (Date.now() - t0),
        onAnchor: (mark) => send({ type: 'anchor', mark })
      })
      // Throws what opening met (a folder it cannot write, say), for main to report.
      await store.database()
      send({ type: 'reply', id: m.id, ok: true, value: { warnings: store.warnings() } })
      return
    }
    if (m.type === 'close') {
      await store?.close()
      store = undefined
      send({ type: 'reply', id: m.id, ok: true, value: null })
      return
    }
    if (!store) throw new CoreError('INTERNAL', 'The fleet store is not open.')
    const fn = isStoreCall(m.path) ? resolvePath(m.path) : undefined
    if (!fn) throw new CoreError('INTERNAL', `The fleet store has no call ${String(m.path)}.`)
    const args = m.args.map((a, i) => {
      if (!m.staged.includes(i)) return a
      const token = (a as { staged: number }).staged
      const list = staged.get(token) ?? []
      staged.delete(token)
      return list
    })
    send({ type: 'reply', id: m.id, ok: true, value: await fn(...args) })
  } catch (err) {
    send({ type: 'reply', id: m.id, ok: false, error: toWire(err) })
  }
}

// Calls run strictly in arrival order: a staged list is complete before the call that names it.
port.on('message', (m: ToWorker) => {
  queue = queue.then(() => handle(m))
})

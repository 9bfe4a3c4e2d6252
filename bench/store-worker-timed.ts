// The fleet store's worker as the app runs it, plus what the bench reads from inside it: how long
// each call took from its message to its reply, and the worker's heap after a GC.
import { getHeapStatistics } from 'node:v8'
import { parentPort } from 'node:worker_threads'

/** Posted after each reply: the call and its time in the worker (queueing behind earlier calls included). */
export interface CallTiming {
  type: 'bench-timing'
  path: string
  ms: number
}
export interface WorkerHeap {
  type: 'bench-heap'
  heapUsed: number
}

const port = parentPort
if (!port) throw new Error('store-worker-timed.ts runs only as a worker thread')
const started = new Map<number, { path: string; t0: number }>()
const isBench = (m: unknown) => typeof (m as { type?: unknown })?.type === 'string' && (m as { type: string }).type.startsWith('bench')

port.on('message', (m: { type: string; id?: number; path?: string }) => {
  if (m.type === 'call' && m.id !== undefined) started.set(m.id, { path: m.path ?? '?', t0: performance.now() })
  if (m.type === 'bench-heap') {
    ;(globalThis as { gc?: () => void }).gc?.()
    port.postMessage({ type: 'bench-heap', heapUsed: getHeapStatistics().used_heap_size } satisfies WorkerHeap)
  }
})
const post = port.postMessage.bind(port)
port.postMessage = (m: { type?: string; id?: number }) => {
  post(m)
  const s = m.type === 'reply' && m.id !== undefined ? started.get(m.id) : undefined
  if (s && m.id !== undefined) {
    started.delete(m.id)
    post({ type: 'bench-timing', path: s.path, ms: performance.now() - s.t0 } satisfies CallTiming)
  }
}
// The store's own listener never sees the bench's messages.
const on = port.on.bind(port)
port.on = ((event: string, fn: (m: unknown) => void) => on(event, (m: unknown) => !isBench(m) && fn(m))) as typeof port.on

void import('../src/main/core/store/worker/store-worker')

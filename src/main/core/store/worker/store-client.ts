import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { CoreError } from '../../errors'
import { keyUnavailable } from '../key-unavailable'
import type { FleetStore, FleetStoreOptions, StoreState } from '../fleet-store'
import { StoreRefusedError } from '../refusal'
import { STAGE_CHUNK, STORE_CALLS, type FromWorker, type StoreCall, type StoreData, type ToWorker, type WireError } from './protocol'

/** Starts the store's worker thread for a database file. */
export type StoreWorkerLauncher = (path: string) => Worker

/** The in-process store's options (afterOpen runs after a file is opened, not after a worker restart), and how the worker starts. */
export interface StoreClientOptions extends FleetStoreOptions {
  launch?: StoreWorkerLauncher
  /** Each worker as it starts (tests stop one mid-call to prove recovery). */
  onWorker?: (worker: Worker) => void
}

/**
 * Plain Node (tests, `start:web`, the bench) runs the worker's TypeScript through tsx; the built
 * app runs the bundled `out/main/store-worker.js` beside main's own bundle.
 */
export const launchStoreWorker: StoreWorkerLauncher = (path) => {
  const fromSource = __filename.endsWith('.ts')
  const file = join(__dirname, fromSource ? 'store-worker.ts' : 'store-worker.js')
  return new Worker(file, { workerData: { path }, execArgv: fromSource ? ['--import', 'tsx'] : [], name: 'keydesk-store' })
}

/** Said once per restart, on every screen until dismissed (store.status's warnings). */
export const WORKER_RESTARTED =
  'The fleet store stopped unexpectedly and was started again. Lists and search are as last saved; a change that was being saved when it stopped may not have been.'

function fromWire(e: WireError): Error {
  if (e.problem && e.core) return new StoreRefusedError(e.problem, e.core.message)
  if (e.core) {
    const { code, message, ...extra } = e.core
    return new CoreError(code, message, extra)
  }
  const err = new Error(e.message)
  err.name = e.name
  if (e.code) (err as Error & { code?: string }).code = e.code
  return err
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
  /** A data call: what to do with it when the worker dies under it (a read is asked once more). */
  call?: { path: StoreCall; args: unknown[]; attempt: number }
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Main's side of the fleet store: the same interface as the in-process store, every data call a
 * message to the worker thread. Main never runs SQL. Long lists cross in parts (STAGE_CHUNK) so no
 * single copy holds main's thread. A worker that dies is started again on the next call: reads in
 * flight are asked again, writes in flight fail with `outcome: 'unknown'` (they may have
 * committed), and store.status says it happened.
 */
export function createStoreClient(opts: StoreClientOptions): FleetStore {
  const launch = opts.launch ?? launchStoreWorker
  let worker: Worker | undefined
  let opening: Promise<void> | undefined
  let state: StoreState = 'closed'
  let unavailable: CoreError | undefined
  let openedOnce = false
  let closing = false
  const warnings: string[] = []
  const pending = new Map<number, Pending>()
  let nextId = 1
  let nextToken = 1

  function start(): Worker {
    const w = launch(opts.path)
    w.unref()
    w.on('message', (m: FromWorker) => {
      if (m.type === 'log') {
        opts.log.warn(m.message, m.detail === undefined ? undefined : { detail: m.detail })
        return
      }
      if (m.type === 'anchor') {
        opts.onAnchor?.(m.mark)
        return
      }
      const p = pending.get(m.id)
      if (!p) return
      pending.delete(m.id)
      if (pending.size === 0) w.unref()
      if (m.ok) p.resolve(m.value)
      else p.reject(fromWire(m.error))
    })
    w.on('error', (err) => opts.log.warn('fleet store: worker error', err))
    w.on('exit', () => gone(w))
    opts.onWorker?.(w)
    return w
  }

  /** The worker ended: by close(), or by a crash or kill, in which case the next call restarts it. */
  function gone(w: Worker) {
    if (w !== worker) return
    worker = undefined
    state = 'closed'
    // An open still running (its afterOpen waits on store calls) must not hold the next one: those
    // calls, asked again below, start a new worker rather than wait on the open that lost its own.
    opening = undefined
    const inFlight = [...pending.values()]
    pending.clear()
    if (closing) {
      for (const p of inFlight) p.reject(new CoreError('INTERNAL', 'KeyDesk is shutting down.'))
      return
    }
    opts.log.warn('fleet store: the worker stopped; it is started again on the next call')
    if (!warnings.includes(WORKER_RESTARTED)) warnings.push(WORKER_RESTARTED)
    for (const p of inFlight) {
      if (!p.call) p.reject(new CoreError('INTERNAL', 'The fleet store stopped while opening.'))
      else if (STORE_CALLS[p.call.path] === 'read' && p.call.attempt === 0) call(p.call.path, p.call.args, 1).then(p.resolve, p.reject)
      else if (STORE_CALLS[p.call.path] === 'read')
        // Twice in a row: this read may be what stops the worker. It fails instead of looping.
        p.reject(new CoreError('INTERNAL', 'The fleet store stopped twice while answering this; try again, and report it if it repeats.'))
      else
        p.reject(
          new CoreError('INTERNAL', 'The fleet store stopped while saving this change; it may or may not have been saved.', { outcome: 'unknown' })
        )
    }
  }

  function post(w: Worker, message: ToWorker, p?: Pending) {
    if ('id' in message && p) {
      pending.set(message.id, p)
      w.ref()
    }
    w.postMessage(message)
  }

  async function ensureOpen(force = false): Promise<Worker> {
    if (state === 'open' && worker) return worker
    // A refused file stays refused until the operator acts (Retry or a new store): not retried on every call.
    if (unavailable instanceof StoreRefusedError && !force) throw unavailable
    if (!opening) {
      const started: Promise<void> = (async () => {
        let key: Buffer
        try {
          key = await opts.dataKey()
        } catch (err) {
          // Locked or missing keychain: stay closed. Nothing is ever written without the key.
          unavailable = keyUnavailable(err)
          state = 'unavailable'
          throw unavailable
        }
        closing = false
        const w = (worker = start())
        try {
          const opened = await new Promise<{ warnings: string[] }>((resolve, reject) =>
            post(w, { type: 'open', id: nextId++, key: new Uint8Array(key), now: opts.now() }, { resolve: resolve as (v: unknown) => void, reject })
          )
          for (const said of opened.warnings) {
            if (!warnings.includes(said)) warnings.push(said)
          }
        } catch (err) {
          worker = undefined
          void w.terminate()
          if (err instanceof StoreRefusedError) {
            unavailable = err
            state = 'unavailable'
          }
          throw err
        }
        state = 'open'
        unavailable = undefined
        if (!openedOnce) {
          openedOnce = true
          if (opts.afterOpen) await opts.afterOpen(client).catch((err) => opts.log.warn('fleet store: import after open failed', err))
        }
      })().finally(() => {
        if (opening === started) opening = undefined
      })
      opening = started
    }
    await opening
    if (!worker) throw new CoreError('INTERNAL', 'The fleet store is not open.')
    return worker
  }

  async function call(path: StoreCall, args: unknown[], attempt = 0): Promise<unknown> {
    const w = await ensureOpen()
    if (args.some((a) => typeof a === 'function')) throw new Error(`store.${path}: a callback cannot cross to the store's thread`)
    const staged: number[] = []
    const sent = [...args]
    for (const [i, a] of args.entries()) {
      if (!Array.isArray(a) || a.length <= STAGE_CHUNK) continue
      const token = nextToken++
      for (let at = 0; at < a.length; at += STAGE_CHUNK) {
        post(w, { type: 'stage', token, items: a.slice(at, at + STAGE_CHUNK) })
        await yieldToLoop()
      }
      sent[i] = { staged: token }
      staged.push(i)
    }
    if (w !== worker) return call(path, args, attempt)
    return new Promise((resolve, reject) =>
      post(w, { type: 'call', id: nextId++, path, args: sent, staged }, { resolve, reject, call: { path, args, attempt } })
    )
  }

  /** The data calls as one object of the store's shape, built from the list of calls. */
  function dataCalls(): StoreData {
    const root: Record<string, unknown> = {}
    for (const path of Object.keys(STORE_CALLS) as StoreCall[]) {
      const parts = path.split('.')
      let at = root
      for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>
      at[parts[parts.length - 1]!] = (...args: unknown[]) => call(path, args)
    }
    return root as unknown as StoreData
  }

  const client: FleetStore = {
    ...dataCalls(),
    state: () => state,
    unavailableReason: () => unavailable?.toAppError(),
    problem: () => (unavailable instanceof StoreRefusedError ? unavailable.problem : null),
    warnings: () => [...warnings],
    open: () =>
      ensureOpen(true).then(
        () => true,
        () => false
      ),
    async close() {
      const w = worker
      if (!w) return
      closing = true
      await new Promise((resolve) => {
        post(w, { type: 'close', id: nextId++ }, { resolve, reject: resolve })
        setTimeout(resolve, 5_000).unref()
      })
      await w.terminate()
      state = 'closed'
    }
  }
  return client
}

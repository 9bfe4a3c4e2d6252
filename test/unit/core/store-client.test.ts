import { EventEmitter } from 'node:events'
import type { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { createStoreClient, WORKER_RESTARTED } from '../../../src/main/core/store/worker/store-client'
import { STAGE_CHUNK, type ToWorker } from '../../../src/main/core/store/worker/protocol'
import { CoreError } from '../../../src/main/core/errors'
import { silentLogger } from '../../../src/main/core/log'

/** A stand-in for the worker thread: records what main sends, answers when the test says. */
class FakeWorker extends EventEmitter {
  sent: ToWorker[] = []
  postMessage(m: ToWorker) {
    this.sent.push(m)
    if (m.type === 'open') queueMicrotask(() => this.emit('message', { type: 'reply', id: m.id, ok: true, value: { warnings: [] } }))
  }
  reply(id: number, value: unknown) {
    this.emit('message', { type: 'reply', id, ok: true, value })
  }
  die() {
    this.emit('exit', 1)
  }
  ref() {}
  unref() {}
  async terminate() {
    this.die()
    return 1
  }
  calls() {
    return this.sent.filter((m): m is Extract<ToWorker, { type: 'call' }> => m.type === 'call')
  }
}

function setup(afterOpen?: Parameters<typeof createStoreClient>[0]['afterOpen']) {
  const workers: FakeWorker[] = []
  const store = createStoreClient({
    path: '/nowhere/keydesk.db',
    dataKey: async () => Buffer.alloc(32, 7),
    log: silentLogger,
    now: () => 0,
    afterOpen,
    launch: () => {
      const w = new FakeWorker()
      workers.push(w)
      return w as unknown as Worker
    }
  })
  return { store, workers }
}

const settle = () => new Promise((r) => setImmediate(r))

describe('the fleet store client (main side of the worker)', () => {
  it('hands the data key over at open and sends each call as plain data', async () => {
    const { store, workers } = setup()
    const found = store.keyById('t1', 'k1')
    await settle()
    const [w] = workers
    const open = w!.sent[0] as Extract<ToWorker, { type: 'open' }>
    expect(open.type).toBe('open')
    expect(Buffer.from(open.key).equals(Buffer.alloc(32, 7))).toBe(true)
    const call = w!.calls()[0]!
    expect(call).toMatchObject({ path: 'keyById', args: ['t1', 'k1'] })
    w!.reply(call.id, { id: 'k1' })
    await expect(found).resolves.toEqual({ id: 'k1' })
    expect(store.state()).toBe('open')
  })

  it('sends a long list in parts ahead of the call that names it', async () => {
    const { store, workers } = setup()
    const keys = Array.from({ length: STAGE_CHUNK * 2 + 5 }, (_, i) => ({ id: `k${i}` }))
    void store.syncKeys('t1', keys as never, 1)
    await expect.poll(() => workers[0]?.calls().length).toBe(1)
    const parts = workers[0]!.sent.filter((m) => m.type === 'stage')
    expect(parts.map((m) => (m as { items: unknown[] }).items.length)).toEqual([STAGE_CHUNK, STAGE_CHUNK, 5])
    expect(workers[0]!.calls()[0]).toMatchObject({ path: 'syncKeys', staged: [1], args: ['t1', { staged: expect.any(Number) }, 1] })
  })

  it('when the worker dies: a read in flight is asked again of a new worker, a write in flight is an unknown outcome, and it is said', async () => {
    const { store, workers } = setup()
    const read = store.keysOf('t1')
    const write = store.rotations.add({ tenant: 't1', oldKeyId: 'a', newKeyId: 'b', rotatedAt: 1 })
    await expect.poll(() => workers[0]?.calls().length).toBe(2)
    workers[0]!.die()
    const failed = await write.catch((e: unknown) => e)
    expect(failed).toBeInstanceOf(CoreError)
    expect((failed as CoreError).extra.outcome).toBe('unknown')
    await expect.poll(() => workers[1]?.calls().length).toBe(1)
    const again = workers[1]!.calls()[0]!
    expect(again.path).toBe('keysOf')
    workers[1]!.reply(again.id, null)
    await expect(read).resolves.toBeNull()
    expect(store.warnings()).toContain(WORKER_RESTARTED)
  })

  it('stays closed, and starts no worker, while the keychain withholds the data key', async () => {
    const workers: FakeWorker[] = []
    const store = createStoreClient({
      path: '/nowhere/keydesk.db',
      dataKey: async () => {
        throw new CoreError('KEYCHAIN_UNAVAILABLE', 'locked')
      },
      log: silentLogger,
      now: () => 0,
      launch: () => {
        const w = new FakeWorker()
        workers.push(w)
        return w as unknown as Worker
      }
    })
    await expect(store.counts(0)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    expect(store.state()).toBe('unavailable')
    expect(workers).toHaveLength(0)
  })

  it('a worker that dies while the first open is still at work (its afterOpen asks the store) does not hold every later call', async () => {
    const { store, workers } = setup(async (opened) => {
      await opened.keysOf('legacy')
    })
    const counted = store.counts(0)
    await expect.poll(() => workers[0]?.calls().length).toBe(1)
    workers[0]!.die()
    // afterOpen's read is asked again of a new worker, and the call that opened the store follows it.
    await expect.poll(() => workers[1]?.calls().length, { timeout: 2_000 }).toBe(1)
    workers[1]!.reply(workers[1]!.calls()[0]!.id, null)
    await expect.poll(() => workers[1]!.calls().length).toBe(2)
    expect(workers[1]!.calls()[1]!.path).toBe('counts')
    workers[1]!.reply(workers[1]!.calls()[1]!.id, [])
    await expect(counted).resolves.toEqual([])
  })

  it('a read in flight when the worker dies twice in a row fails instead of starting workers for ever', async () => {
    const { store, workers } = setup()
    const read = store.keysOf('t1')
    await expect.poll(() => workers[0]?.calls().length).toBe(1)
    workers[0]!.die()
    await expect.poll(() => workers[1]?.calls().length).toBe(1)
    workers[1]!.die()
    await expect(read).rejects.toMatchObject({ code: 'INTERNAL' })
    expect(workers).toHaveLength(2)
  })
})

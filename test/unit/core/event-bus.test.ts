import { describe, expect, it, vi } from 'vitest'
import { coalesce, createEventBus } from '../../../src/main/core/events/bus'
import { silentLogger } from '../../../src/main/core/log'
import { EventBatchSchema, KeyDeskEventSchema, type EventBatch, type KeyDeskEvent } from '../../../src/shared/events'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('the event schema', () => {
  it('takes each kind of event and refuses unknown kinds, extra fields and a status that does not exist', () => {
    const good: KeyDeskEvent[] = [
      { type: 'tenant.status', tenant: 't', status: 'offline' },
      { type: 'store.changed', tenant: 't', revoked: ['k'], synced: true },
      { type: 'job.progress', jobId: 'j', tenants: ['t'], finished: false },
      { type: 'schedule.ran', tenant: 't', tenantLabel: 'acme', keyId: 'k', keyName: 'ci', outcome: 'failed', errorCode: 'FORBIDDEN' },
      { type: 'schedules.changed', tenant: 't' },
      { type: 'notice', seq: 3 },
      { type: 'unlock.changed', tenant: 't', unlocked: true }
    ]
    for (const e of good) expect(KeyDeskEventSchema.safeParse(e).success).toBe(true)
    expect(KeyDeskEventSchema.safeParse({ type: 'made.up', tenant: 't' }).success).toBe(false)
    expect(KeyDeskEventSchema.safeParse({ type: 'schedules.changed', tenant: 't', adminKey: 'x' }).success).toBe(false)
    expect(KeyDeskEventSchema.safeParse({ type: 'tenant.status', tenant: 't', status: 'sleepy' }).success).toBe(false)
    expect(
      KeyDeskEventSchema.safeParse({ type: 'schedule.ran', tenant: 't', tenantLabel: 'a', keyId: 'k', keyName: 'n', outcome: 'ok' }).success
    ).toBe(false)
    expect(EventBatchSchema.safeParse({ events: [] }).success).toBe(false)
  })
})

describe('the event bus', () => {
  it('never calls a listener inside emit: a burst arrives later as one batch, in order', async () => {
    const bus = createEventBus({ log: silentLogger, flushMs: 10 })
    const heard: EventBatch[] = []
    bus.subscribe((b) => heard.push(b))
    bus.emit({ type: 'schedules.changed', tenant: 'a' })
    bus.emit({ type: 'notice', seq: 1 })
    expect(heard).toEqual([])
    await wait(30)
    expect(heard).toEqual([
      {
        events: [
          { type: 'schedules.changed', tenant: 'a' },
          { type: 'notice', seq: 1 }
        ]
      }
    ])
  })

  it('drops an event that breaks the schema (and says so), keeps nothing with nobody subscribed, and a failing listener does not stop the rest', async () => {
    const warn = vi.fn()
    const bus = createEventBus({ log: { ...silentLogger, warn }, flushMs: 5 })
    bus.emit({ type: 'notice', seq: 1 })
    const heard: EventBatch[] = []
    bus.subscribe(() => {
      throw new Error('listener broke')
    })
    bus.subscribe((b) => heard.push(b))
    bus.emit({ type: 'tenant.status', tenant: 't', status: 'nope' } as unknown as KeyDeskEvent)
    bus.emit({ type: 'notice', seq: 2 })
    await wait(20)
    expect(heard).toEqual([{ events: [{ type: 'notice', seq: 2 }] }])
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('tenant.status dropped'))
    expect(warn).toHaveBeenCalledWith('event listener failed', expect.any(Error))
  })

  it('a hundred revokes of a bulk job reach the renderer as one store change per tenant and one progress per job', async () => {
    const bus = createEventBus({ log: silentLogger, flushMs: 10 })
    const heard: EventBatch[] = []
    bus.subscribe((b) => heard.push(b))
    for (let i = 0; i < 100; i++) {
      const tenant = i % 2 ? 'odd' : 'even'
      bus.emit({ type: 'store.changed', tenant, revoked: [`k${i}`] })
      bus.emit({ type: 'job.progress', jobId: 'j', tenants: ['odd', 'even'], finished: i === 99 })
    }
    await wait(30)
    expect(heard).toHaveLength(1)
    const events = heard[0]!.events
    expect(events.map((e) => e.type)).toEqual(['store.changed', 'job.progress', 'store.changed'])
    const even = events[0] as Extract<KeyDeskEvent, { type: 'store.changed' }>
    expect(even.tenant).toBe('even')
    expect(even.revoked).toHaveLength(50)
    expect(events[1]).toEqual({ type: 'job.progress', jobId: 'j', tenants: ['odd', 'even'], finished: true })
  })

  it('a burst larger than a batch may hold goes in several batches the receiver accepts; sync.changed is said once', () => {
    const bus = createEventBus({ log: silentLogger, flushMs: 10_000 })
    const heard: EventBatch[] = []
    bus.subscribe((b) => heard.push(b))
    for (let i = 0; i < 2500; i++) {
      bus.emit({ type: 'notice', seq: i })
      bus.emit({ type: 'sync.changed' })
    }
    bus.flush()
    expect(heard.map((b) => b.events.length)).toEqual([1000, 1000, 501])
    for (const b of heard) expect(EventBatchSchema.safeParse(b).success).toBe(true)
    const all = heard.flatMap((b) => b.events)
    expect(all.filter((e) => e.type === 'sync.changed')).toHaveLength(1)
    expect(all.filter((e) => e.type === 'notice').map((e) => (e as { seq: number }).seq)).toEqual([...Array(2500).keys()])
  })

  it('dispose sends what is queued and hears nothing after', () => {
    const bus = createEventBus({ log: silentLogger, flushMs: 1000 })
    const heard: EventBatch[] = []
    bus.subscribe((b) => heard.push(b))
    bus.emit({ type: 'notice', seq: 1 })
    bus.dispose()
    bus.emit({ type: 'notice', seq: 2 })
    expect(heard).toEqual([{ events: [{ type: 'notice', seq: 1 }] }])
  })
})

describe('coalesce', () => {
  it('folds what says the same thing and keeps every schedule run and notice', () => {
    const q: KeyDeskEvent[] = []
    coalesce(q, { type: 'tenant.status', tenant: 't', status: 'online' })
    coalesce(q, { type: 'store.changed', tenant: 't', written: ['new'] })
    coalesce(q, { type: 'tenant.status', tenant: 't', status: 'offline' })
    coalesce(q, { type: 'store.changed', tenant: 't', revoked: ['a'], synced: true })
    coalesce(q, { type: 'store.changed', tenant: 't', revoked: ['a', 'b'] })
    const ran = { type: 'schedule.ran', tenant: 't', tenantLabel: 'acme', keyId: 'a', keyName: 'ci', outcome: 'revoked' } as const
    coalesce(q, ran)
    coalesce(q, ran)
    coalesce(q, { type: 'job.progress', jobId: 'j', tenants: ['t'], finished: true })
    coalesce(q, { type: 'job.progress', jobId: 'j', tenants: ['t'], finished: false })
    expect(q).toEqual([
      { type: 'tenant.status', tenant: 't', status: 'offline' },
      { type: 'store.changed', tenant: 't', written: ['new'], revoked: ['a', 'b'], synced: true },
      ran,
      ran,
      // A job that ended stays ended whatever came after in the same burst.
      { type: 'job.progress', jobId: 'j', tenants: ['t'], finished: true }
    ])
  })

  it('stops naming keys past 500 in one tenant (the store is read again all the same)', () => {
    const q: KeyDeskEvent[] = []
    for (let i = 0; i < 501; i++) coalesce(q, { type: 'store.changed', tenant: 't', revoked: [`k${i}`] })
    expect(q).toEqual([{ type: 'store.changed', tenant: 't' }])
  })
})

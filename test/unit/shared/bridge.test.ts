import { describe, expect, it, vi } from 'vitest'
import { createBridge } from '../../../src/shared/bridge'
import { CHANNELS } from '../../../src/shared/contract'

// createBridge lives in src/shared so the preload, the renderer's web transport and the e2e
// harness build the same window.keydesk from it; the preload only adds ipcRenderer.invoke.
describe('createBridge', () => {
  it('has one frozen method per contract channel, each passing its channel and input to the transport', async () => {
    const invoke = vi.fn(async (channel: string, payload: unknown) => ({ channel, payload }))
    const api = createBridge(invoke) as unknown as Record<string, Record<string, (input?: unknown) => Promise<unknown>>>
    expect(Object.isFrozen(api)).toBe(true)
    const methods = Object.entries(api)
      .filter(([area]) => area !== 'events')
      .flatMap(([area, group]) => {
        expect(Object.isFrozen(group)).toBe(true)
        return Object.keys(group).map((op) => `${area}.${op}`)
      })
    expect(methods.sort()).toEqual([...CHANNELS].sort())
    expect(await api.keys!.list!({ tenant: 't' })).toEqual({ channel: 'keys.list', payload: { tenant: 't' } })
    expect(await api.app!.info!()).toEqual({ channel: 'app.info', payload: undefined })
  })

  it('checks every event batch on arrival: a batch that breaks the event schema is dropped whole', () => {
    let push: (raw: unknown) => void = () => {}
    const api = createBridge(vi.fn(), (onBatch) => {
      push = onBatch as (raw: unknown) => void
      return () => {}
    })
    const heard: unknown[] = []
    api.events.subscribe((b) => heard.push(b))
    const good = { events: [{ type: 'store.changed', tenant: 't1', revoked: ['k1'] }] }
    push(good)
    push({
      events: [
        { type: 'store.changed', tenant: 't1' },
        { type: 'made.up', tenant: 't1' }
      ]
    })
    push({ events: [{ type: 'tenant.status', tenant: 't1', status: 'online', extra: 'no' }] })
    push('not a batch')
    expect(heard).toEqual([good])
  })
})

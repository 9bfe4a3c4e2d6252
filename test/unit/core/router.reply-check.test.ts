import { describe, expect, it } from 'vitest'
import { CHANNELS, contract } from '../../../src/shared/contract'
import type { ApiKey } from '../../../src/shared/meshqu'
import { createRouter, type Handlers } from '../../../src/main/core/router'
import { silentLogger } from '../../../src/main/core/log'
import { makeKey } from '../../fixtures/keys'

// Only the channels these tests call; the router looks handlers up by channel name.
const routerWith = (handlers: Partial<Handlers>) => createRouter(handlers as Handlers, silentLogger, () => 1000)

/** A key no MeshQu response would have passed ApiKeySchema with: a date that is not one, no tenant. */
const malformed = { ...makeKey('k2'), created_at: 'yesterday', tenant_id: undefined } as unknown as ApiKey

describe('router: reply checks', () => {
  it('are cheaper only where the contract declares it: the lists of keys parsed on entry', () => {
    // Adding a channel here is a decision: its list must come from MeshQu's parsed responses or the store.
    expect(CHANNELS.filter((c) => 'replyCheck' in contract[c])).toEqual(['keys.listAll'])
  })

  it('withhold a malformed key on a channel that checks every key', async () => {
    const route = routerWith({
      'keys.get': async () => ({ data: malformed }),
      'keys.searchAll': async () => ({
        data: {
          hits: [{ tenant: { id: 'p1', label: 'acme', environment: 'staging' }, key: malformed, syncedAt: 1, exact: false }],
          searchedTenants: 1,
          truncated: false
        }
      })
    })
    for (const [channel, payload] of [
      ['keys.get', { tenant: 'p1', id: 'k2' }],
      ['keys.searchAll', { text: 'key' }]
    ] as const) {
      const reply = await route(channel, payload)
      expect(reply.ok, channel).toBe(false)
      expect(!reply.ok && reply.error.code).toBe('INTERNAL')
    }
  })

  it('pass the keys of a declared channel as they are, without parsing each again', async () => {
    const keys = [makeKey('k1'), malformed]
    const route = routerWith({ 'keys.listAll': async () => ({ data: { keys, total: 2, pages: 1 } }) })
    const all = await route('keys.listAll', { tenant: 'p1' })
    expect(all.ok && (all.data as { keys: ApiKey[] }).keys).toBe(keys)
  })

  it('still check everything around the keys on a declared channel', async () => {
    const route = routerWith({ 'keys.listAll': async () => ({ data: { keys: 'not a list', total: 2, pages: 1 } as never }) })
    expect(await route('keys.listAll', { tenant: 'p1' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    const many = routerWith({ 'keys.listAll': async () => ({ data: { keys: [], total: 'many', pages: 1 } as never }) })
    expect(await many('keys.listAll', { tenant: 'p1' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
  })
})

describe('router: keys.fromStore carries the stored list as JSON text', () => {
  it('passes the text as it is: main never parses the keys (the store holds only keys parsed on entry)', async () => {
    const keysJson = JSON.stringify([makeKey('k1'), malformed])
    const route = routerWith({ 'keys.fromStore': async () => ({ data: { keysJson, syncedAt: 5 } }) })
    const cached = await route('keys.fromStore', { tenant: 'p1' })
    expect(cached.ok && cached.data).toEqual({ keysJson, syncedAt: 5 })
    expect(cached.ok && (cached.data as { keysJson: string }).keysJson).toBe(keysJson)
  })

  it('checks everything around the text, strips what the contract does not name, and never spares an input', async () => {
    for (const data of [
      { keys: [], syncedAt: 5 },
      { keysJson: [], syncedAt: 5 },
      { keysJson: '[]', syncedAt: 'then' }
    ]) {
      const route = routerWith({ 'keys.fromStore': async () => ({ data: data as never }) })
      expect(await route('keys.fromStore', { tenant: 'p1' }), JSON.stringify(data)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    }
    const extra = routerWith({ 'keys.fromStore': async () => ({ data: { keysJson: '[]', syncedAt: 5, internal: 'x' } as never }) })
    const reply = await extra('keys.fromStore', { tenant: 'p1' })
    expect(reply.ok && reply.data).toEqual({ keysJson: '[]', syncedAt: 5 })
    const refused = await extra('keys.fromStore', { tenant: '' })
    expect(!refused.ok && refused.error.code).toBe('VALIDATION')
  })

  it('answers null for a tenant never synced', async () => {
    const route = routerWith({ 'keys.fromStore': async () => ({ data: null }) })
    const reply = await route('keys.fromStore', { tenant: 'p1' })
    expect(reply.ok && reply.data).toBeNull()
  })
})

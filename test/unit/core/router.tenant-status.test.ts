import { describe, expect, it } from 'vitest'
import { createRouter, type Handlers } from '../../../src/main/core/router'
import { CoreError } from '../../../src/main/core/errors'
import { silentLogger } from '../../../src/main/core/log'
import { createTenantStatus } from '../../../src/main/core/tenants/status'

// Only the channels these tests call; the router looks handlers up by channel name.
function routerWith(handlers: Partial<Handlers>, known = new Set(['p1'])) {
  const book = createTenantStatus()
  const route = createRouter(handlers as Handlers, silentLogger, () => 1000, {
    observe: book.record,
    statusOf: (id) => (known.has(id) ? book.get(id) : undefined)
  })
  return route
}

const emptyList = { keys: [], total: 0, pages: 1 }

describe('router: tenant status in every reply meta', () => {
  it('carries the status the call just produced on a success', async () => {
    const route = routerWith({ 'keys.listAll': async () => ({ data: emptyList, meta: { servedFrom: 'network' } }) })
    const reply = await route('keys.listAll', { tenant: 'p1' })
    expect(reply.ok && reply.meta).toMatchObject({ tenantId: 'p1', tenantStatus: 'online' })
  })

  it('says offline when the answer came from the store', async () => {
    const route = routerWith({ 'keys.listAll': async () => ({ data: emptyList, meta: { servedFrom: 'store', syncedAt: 5 } }) })
    const reply = await route('keys.listAll', { tenant: 'p1' })
    expect(reply.ok && reply.meta.tenantStatus).toBe('offline')
  })

  it('carries it on a failure too, so a refused admin key reaches the sidebar at once', async () => {
    const route = routerWith({
      'keys.listAll': async () => {
        throw new CoreError('UNAUTHORIZED', 'refused', { status: 401, outcome: 'rejected', reachedServer: true })
      }
    })
    const reply = await route('keys.listAll', { tenant: 'p1' })
    expect(reply.ok).toBe(false)
    expect(!reply.ok && reply.meta).toEqual({ tenantId: 'p1', tenantStatus: 'auth-failed' })
  })

  it('leaves it out for app-wide calls and for tenants that are gone', async () => {
    const route = routerWith({
      'app.info': async () => ({ data: { version: '1', platform: 'linux', dataDir: '/d', keychain: 'available' } }),
      'keys.listAll': async () => ({ data: emptyList, meta: { servedFrom: 'network' } })
    })
    const info = await route('app.info', undefined)
    expect(info.ok && info.meta.tenantStatus).toBeUndefined()
    const gone = await route('keys.listAll', { tenant: 'removed' })
    expect(gone.ok && gone.meta.tenantStatus).toBeUndefined()
  })

  it('never fails a reply because the status could not be read', async () => {
    const route = createRouter(
      { 'keys.listAll': async () => ({ data: emptyList, meta: { servedFrom: 'network' } }) } as unknown as Handlers,
      silentLogger,
      () => 1,
      {
        statusOf: () => {
          throw new Error('profiles unreadable')
        }
      }
    )
    const reply = await route('keys.listAll', { tenant: 'p1' })
    expect(reply.ok).toBe(true)
  })
})

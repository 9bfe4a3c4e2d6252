import { describe, expect, it } from 'vitest'
import { createOutsideNotifications } from '../../../src/main/core/radar/outside-notifications'
import type { OutsideFound } from '../../../src/main/core/store/outside-changes'
import type { NotificationAction } from '../../../src/shared/radar'
import { silentLogger } from '../../../src/main/core/log'

const change = (kind: 'created' | 'revoked', name: string, actorName: string | null = 'ops-console'): OutsideFound => ({
  kind,
  keyId: `id-${name}`,
  keyName: name,
  keyPreview: null,
  actor: actorName ? `id-${actorName}` : null,
  actorName,
  changedAt: null,
  foundAt: 7
})

function setup(found: OutsideFound[]) {
  const sent: { title: string; body: string; action?: NotificationAction }[] = []
  const asked: [string, number][] = []
  const n = createOutsideNotifications({
    store: {
      outside: {
        foundAt: async (tenant: string, at: number) => (asked.push([tenant, at]), found),
        acknowledge: async () => null,
        acknowledged: async () => undefined
      }
    },
    labelOf: async () => 'acme-prod',
    notifier: { notify: (title, body, o) => void sent.push({ title, body, action: o?.action }) },
    log: silentLogger
  })
  return { n, sent, asked }
}

describe('notifications of changes made outside KeyDesk', () => {
  it('nothing found, nothing said', async () => {
    const { n, sent, asked } = setup([])
    expect(await n.afterSync('t1', 7)).toEqual({ notifications: 0 })
    expect(asked).toEqual([['t1', 7]])
    expect(sent).toEqual([])
  })

  it('one notification per tenant and sync: created and revoked together, names past three counted, the one actor named', async () => {
    const { n, sent } = setup([
      change('created', 'a'),
      change('created', 'b'),
      change('created', 'c'),
      change('created', 'd'),
      change('revoked', 'e', 'ci-bot'),
      change('revoked', 'f', null)
    ])
    expect(await n.afterSync('t1', 7)).toEqual({ notifications: 1 })
    expect(sent).toEqual([
      {
        title: '4 keys created and 2 revoked outside KeyDesk in acme-prod',
        body: 'Created by ops-console: a, b, c and 1 more. Revoked: e, f.',
        action: { kind: 'radar', category: 'created-outside', tenant: 't1' }
      }
    ])
  })

  it('revokes only: the click opens the revoked category', async () => {
    const { n, sent } = setup([change('revoked', 'e')])
    await n.afterSync('t1', 7)
    expect(sent[0]).toMatchObject({ title: '1 key revoked outside KeyDesk in acme-prod', action: { category: 'revoked-outside' } })
  })
})

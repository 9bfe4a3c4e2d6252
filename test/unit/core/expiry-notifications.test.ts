import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFleetStore, type InProcessFleetStore } from '../../../src/main/core/store/fleet-store'
import { createExpiryNotifications, thresholdFor } from '../../../src/main/core/radar/expiry-notifications'
import { createNotices } from '../../../src/main/core/notify/notices'
import { silentLogger } from '../../../src/main/core/log'
import type { NotifyOptions } from '../../../src/main/core/ports'
import { DAY_MS, DEFAULT_RADAR_RULES, type RadarSettings } from '../../../src/shared/radar'
import type { Environment, TenantProfile } from '../../../src/shared/tenants'
import { makeKey } from '../../fixtures/keys'

const T0 = Date.parse('2026-11-23T12:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()
const HOUR = 3600_000

function profile(id: string, label: string, environment: Environment): TenantProfile {
  return {
    id,
    label,
    tenantId: '0b7e4b52-3c1f-4a7e-8d1e-6a1d2f3c4b5a',
    baseUrl: 'https://api.meshqu.com',
    environment,
    color: '#d32f2f',
    adminKeyPreview: null,
    createdAt: iso(T0),
    embedded: false
  }
}

let store: InProcessFleetStore
let clock: number
let shown: { title: string; body: string; options?: NotifyOptions }[]
let settings: RadarSettings
const profiles = [profile('p1', 'acme-prod', 'production'), profile('p2', 'acme-staging', 'staging'), profile('p3', 'acme-dev', 'development')]

/** A KeyDesk run: its own notifier state over the same store (a restart is a new one). */
function run() {
  return createExpiryNotifications({
    radar: store.radar,
    profiles: async () => profiles,
    settings: async () => ({ radar: settings }),
    notifier: { notify: (title, body, options) => void shown.push({ title, body, options }) },
    now: () => clock,
    log: silentLogger
  })
}

beforeEach(() => {
  const key = randomBytes(32)
  store = createFleetStore({
    path: join(mkdtempSync(join(tmpdir(), 'keydesk-expiry-')), 'keydesk.db'),
    dataKey: async () => key,
    log: silentLogger,
    now: () => clock
  })
  clock = T0
  shown = []
  settings = structuredClone(DEFAULT_RADAR_RULES) as RadarSettings
})
afterEach(() => store.close())

describe('expiry notifications', () => {
  it('picks the tightest threshold: exactly 1, 7 and 30 days included', () => {
    expect(thresholdFor(DAY_MS)).toBe(1)
    expect(thresholdFor(DAY_MS + 1)).toBe(7)
    expect(thresholdFor(7 * DAY_MS)).toBe(7)
    expect(thresholdFor(30 * DAY_MS)).toBe(30)
    expect(thresholdFor(30 * DAY_MS + 1)).toBeNull()
  })

  it('batches per tenant, notifies each key and threshold once, and again at the next threshold', async () => {
    await store.syncKeys(
      'p1',
      [
        makeKey('a', { name: 'billing', expires_at: iso(T0 + 40 * DAY_MS) }),
        makeKey('b', { name: 'trade', expires_at: iso(T0 + 40 * DAY_MS + HOUR) }),
        makeKey('c', { name: 'risk', expires_at: iso(T0 + 40 * DAY_MS + 2 * HOUR) }),
        makeKey('gone', { expires_at: iso(T0 + 3 * DAY_MS), revoked_at: iso(T0 - 1), is_active: false })
      ],
      T0
    )
    await store.syncKeys('p2', [makeKey('s', { name: 'staging-key', expires_at: iso(T0 + 45 * DAY_MS) })], T0)
    const n = run()
    expect(await n.check()).toEqual({ notifications: 0, keys: 0 }) // nothing within 30 days: the catch-up is silent
    clock = T0 + 10 * DAY_MS + 2 * HOUR // all three of p1 now within 30 days; staging's not yet
    expect(await n.check()).toEqual({ notifications: 1, keys: 3 })
    expect(shown).toEqual([
      {
        title: '3 keys in acme-prod expire within 30 days',
        body: '3 within 30 days: billing, trade, risk',
        options: { action: { kind: 'radar', category: 'expiring-30d', tenant: 'p1' } }
      }
    ])
    expect(await n.check()).toEqual({ notifications: 0, keys: 0 }) // once only
    clock = T0 + 33 * DAY_MS + HOUR // billing and trade within 7 days; risk just outside; staging within 30
    await n.check()
    expect(shown.slice(1).map((s) => s.title)).toEqual(['2 keys in acme-prod expire within 7 days', '1 key in acme-staging expires within 30 days'])
    // Remembered in the store: a new run (a restart) does not repeat them.
    const restarted = run()
    expect(await restarted.check()).toEqual({ notifications: 0, keys: 0 })
  })

  it('a key first seen within a day gets the 1-day notice only, and never the 7- or 30-day one after', async () => {
    await store.syncKeys('p1', [makeKey('soon', { name: 'soon', expires_at: iso(T0 + 12 * HOUR) })], T0)
    const n = run()
    await n.check()
    expect(shown.map((s) => s.body)).toEqual(['acme-prod: 1 within 1 day'])
    clock += HOUR
    await n.check()
    expect(shown).toHaveLength(1)
  })

  it('at start, one catch-up notification summarises every tenant; later checks batch per tenant', async () => {
    await store.syncKeys(
      'p1',
      [
        makeKey('a', { name: 'a', expires_at: iso(T0 + 2 * HOUR) }),
        makeKey('b', { name: 'b', expires_at: iso(T0 + 3 * DAY_MS) }),
        makeKey('c', { name: 'c', expires_at: iso(T0 + 20 * DAY_MS) })
      ],
      T0
    )
    await store.syncKeys(
      'p2',
      [makeKey('d', { name: 'd', expires_at: iso(T0 + 6 * DAY_MS) }), makeKey('e', { name: 'e', expires_at: iso(T0 + 9 * DAY_MS) })],
      T0
    )
    const n = run()
    expect(await n.check()).toEqual({ notifications: 1, keys: 5 })
    expect(shown[0]).toEqual({
      title: '5 keys came close to expiry while KeyDesk was closed',
      body: 'acme-prod: 1 within 1 day, 1 within 7 days, 1 within 30 days; acme-staging: 1 within 7 days, 1 within 30 days',
      options: { action: { kind: 'radar', category: 'expiring-30d' } }
    })
    clock = T0 + 2 * DAY_MS + HOUR // e comes within 7 days; b within 1 day
    await n.check()
    expect(shown.slice(1).map((s) => [s.title, s.options?.action?.tenant])).toEqual([
      ['1 key in acme-prod expires within 1 day', 'p1'],
      ['1 key in acme-staging expires within 7 days', 'p2']
    ])
  })

  it('settings turn them off per environment (development is off by default); nothing is marked while off', async () => {
    await store.syncKeys('p3', [makeKey('dev', { name: 'dev', expires_at: iso(T0 + 2 * DAY_MS) })], T0)
    await store.syncKeys('p1', [makeKey('prod', { name: 'prod', expires_at: iso(T0 + 2 * DAY_MS) })], T0)
    settings.production.notifyExpiry = false
    const n = run()
    expect(await n.check()).toEqual({ notifications: 0, keys: 0 })
    settings.development.notifyExpiry = true
    await n.check()
    expect(shown.map((s) => s.title)).toEqual(['1 key in acme-dev expires within 7 days'])
    settings.production.notifyExpiry = true
    await n.check()
    expect(shown.map((s) => s.title).at(-1)).toBe('1 key in acme-prod expires within 7 days')
  })

  it('a click is remembered with its action for the UI; every notice is kept for the web preview', async () => {
    const clicks: (() => void)[] = []
    const notices = createNotices({ notifier: { notify: (_t, _b, o) => void (o?.onClick && clicks.push(o.onClick)) }, now: () => clock })
    notices.port.notify('headroom low', 'no action')
    notices.port.notify('3 keys in acme-prod expire within 7 days', '…', { action: { kind: 'radar', category: 'expiring-7d', tenant: 'p1' } })
    expect(notices.lastClick()).toBeNull()
    clock += 5000
    clicks[1]!()
    expect(notices.lastClick()).toEqual({ seq: 2, at: T0 + 5000, action: { kind: 'radar', category: 'expiring-7d', tenant: 'p1' } })
    expect(notices.recent(0).notices.map((x) => x.seq)).toEqual([1, 2])
    expect(notices.recent(1)).toEqual({
      notices: [expect.objectContaining({ seq: 2, title: '3 keys in acme-prod expire within 7 days' })],
      lastSeq: 2
    })
  })
})

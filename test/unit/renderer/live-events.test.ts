import { QueryClient, type QueryKey } from '@tanstack/react-query'
import { describe, expect, it, vi } from 'vitest'
import { applyEvents } from '../../../src/renderer/src/app/live-events'
import { qk } from '../../../src/renderer/src/lib/query-keys'
import type { ApiKey } from '../../../src/shared/meshqu'
import type { KeyDeskEvent } from '../../../src/shared/events'

const key = (id: string): ApiKey =>
  ({
    id,
    name: id,
    key_preview: `…${id}`,
    scopes: [],
    created_at: '2026-01-01T00:00:00Z',
    expires_at: null,
    last_used_at: null,
    revoked_at: null,
    is_active: true
  }) as unknown as ApiKey

/** A client holding an answer under every key the events could touch, for tenants a and b. */
function seeded() {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const keys: QueryKey[] = [
    qk.tenants,
    qk.searchAll('ci', ''),
    qk.fleetCounts,
    qk.radarSummary,
    ['radar', 'keys', 'expired-active', '*'],
    ['radar', 'presented'],
    qk.journalList({}),
    qk.journalForKey('a', 'k1'),
    qk.schedules('a'),
    qk.schedules('b'),
    qk.fleetSchedules,
    qk.scheduleAway,
    qk.rotations('a'),
    qk.rotations('b'),
    qk.storedKeys('a'),
    qk.storedKeys('b'),
    qk.bulkJob('j1'),
    qk.bulkJob('j2'),
    qk.unlocks,
    qk.overview,
    qk.settings
  ]
  for (const k of keys) qc.setQueryData(k, { seeded: true })
  qc.setQueryData(qk.keys('a'), { data: { keys: [key('k1'), key('k2')] }, meta: {} })
  qc.setQueryData(qk.keys('b'), { data: { keys: [key('k1')] }, meta: {} })
  qc.setQueryData(qk.tenants, {
    tenants: [
      { id: 'a', status: 'online' },
      { id: 'b', status: 'online' }
    ],
    activeId: 'a'
  })
  return qc
}
const stale = (qc: QueryClient) =>
  qc
    .getQueryCache()
    .getAll()
    .filter((q) => q.state.isInvalidated)
    .map((q) => JSON.stringify(q.queryKey))
    .sort()
const apply = (qc: QueryClient, ...events: KeyDeskEvent[]) => {
  const say = vi.fn()
  applyEvents(qc, { events }, say)
  return say
}
const k = (key: QueryKey) => JSON.stringify(key)
const STORE_READERS = [k(qk.searchAll('ci', '')), k(qk.fleetCounts), k(qk.radarSummary), k(['radar', 'keys', 'expired-active', '*'])]

describe('the renderer invalidates exactly what an event names', () => {
  it('a scheduled revoke that ran: the key revoked in its cached list, every view of it and its consequences asked again, and a toast', () => {
    const qc = seeded()
    const say = apply(qc, { type: 'schedule.ran', tenant: 'a', tenantLabel: 'acme-prod', keyId: 'k1', keyName: 'ci-deploy', outcome: 'revoked' })
    expect(say).toHaveBeenCalledWith('Scheduled revoke ran: ci-deploy in acme-prod', 'info')
    const keys = qc.getQueryData<{ data: { keys: ApiKey[] } }>(qk.keys('a'))!.data.keys
    expect(keys.find((x) => x.id === 'k1')).toMatchObject({ is_active: false, revoked_at: expect.any(String) })
    expect(keys.find((x) => x.id === 'k2')).toMatchObject({ is_active: true, revoked_at: null })
    // The other tenant's key of the same id is untouched.
    expect(qc.getQueryData<{ data: { keys: ApiKey[] } }>(qk.keys('b'))!.data.keys[0]).toMatchObject({ is_active: true })
    expect(stale(qc)).toEqual(
      [
        ...STORE_READERS,
        k(qk.journalList({})),
        k(qk.journalForKey('a', 'k1')),
        k(qk.schedules('a')),
        k(qk.fleetSchedules),
        k(qk.scheduleAway),
        k(qk.rotations('a')),
        k(qk.storedKeys('a'))
      ].sort()
    )
  })

  it('a scheduled revoke that failed says so as an error; one to be retried only asks the schedules again', () => {
    const qc = seeded()
    const ran = { type: 'schedule.ran', tenant: 'b', tenantLabel: 'globex', keyId: 'k1', keyName: 'ci' } as const
    expect(apply(qc, { ...ran, outcome: 'failed', errorCode: 'FORBIDDEN' })).toHaveBeenCalledWith('Scheduled revoke failed: ci in globex', 'error')
    const qc2 = seeded()
    const say = apply(qc2, { ...ran, outcome: 'retrying', errorCode: 'OFFLINE' })
    expect(say).not.toHaveBeenCalled()
    expect(stale(qc2)).toEqual(
      [k(qk.schedules('b')), k(qk.fleetSchedules), k(qk.scheduleAway), k(qk.journalList({})), k(qk.journalForKey('a', 'k1'))].sort()
    )
    expect(qc2.getQueryData<{ data: { keys: ApiKey[] } }>(qk.keys('b'))!.data.keys[0]).toMatchObject({ is_active: true })
  })

  it('a sync of one tenant asks the store readers once and leaves its list, its journal and the other tenant alone', () => {
    const qc = seeded()
    apply(qc, { type: 'store.changed', tenant: 'b', synced: true }, { type: 'store.changed', tenant: 'b', synced: true })
    expect(stale(qc)).toEqual([...STORE_READERS, k(qk.storedKeys('b'))].sort())
  })

  it('job progress asks that job again; a status patches the sidebar without reading anything; an unlock asks the unlocks and the journal', () => {
    const qc = seeded()
    apply(qc, { type: 'job.progress', jobId: 'j1', tenants: ['a'], finished: false }, { type: 'tenant.status', tenant: 'b', status: 'offline' })
    expect(stale(qc)).toEqual([k(qk.bulkJob('j1'))])
    expect(qc.getQueryData<{ tenants: { id: string; status: string }[] }>(qk.tenants)!.tenants).toEqual([
      { id: 'a', status: 'online' },
      { id: 'b', status: 'offline' }
    ])
    const qc2 = seeded()
    apply(qc2, { type: 'unlock.changed', tenant: 'a', unlocked: false })
    expect(stale(qc2)).toEqual([k(qk.journalForKey('a', 'k1')), k(qk.journalList({})), k(qk.unlocks)].sort())
  })

  it('a notice asks the radar again; a schedule set, cancelled or claimed asks the schedule lists and the journal', () => {
    const qc = seeded()
    apply(qc, { type: 'notice', seq: 4 })
    expect(stale(qc)).toEqual([k(qk.radarSummary), k(['radar', 'keys', 'expired-active', '*']), k(['radar', 'presented'])].sort())
    const qc2 = seeded()
    apply(qc2, { type: 'schedules.changed', tenant: 'a' })
    expect(stale(qc2)).toEqual([k(qk.fleetSchedules), k(qk.schedules('a')), k(qk.journalList({})), k(qk.journalForKey('a', 'k1'))].sort())
  })
})

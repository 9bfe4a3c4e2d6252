// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { Profiler } from 'react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ScheduledRevoke } from '../../../../src/shared/schedule'
import { makeSchedule } from '../../../fixtures/schedule'
import { KeysView } from '../../../../src/renderer/src/features/keys/KeysView'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { makeKey } from '../../../fixtures/keys'
import { ok, renderWithKeyDesk, tenantView } from './render'

const keys = [
  makeKey('k1', { name: 'billing' }),
  makeKey('k2', { name: 'search' }),
  makeKey('k3', { name: 'old', is_active: false, revoked_at: '2026-01-02T00:00:00.000Z' }),
  makeKey('k4', { name: 'mail' })
]
const schedule = (over: Partial<ScheduledRevoke> = {}) => makeSchedule({ keyPreview: null, ...over })
const fakes = {
  'keys.pendingRotations': () => ok({ pending: [] }),
  'ratelimit.status': () => ok({ tenant: 'p1', current: null, preAuth: null, pacing: { waitingUntil: null, reason: null }, history: [] }),
  'schedule.list': () =>
    ok({
      schedules: [schedule({}), schedule({ id: 2, keyId: 'k2', keyName: 'search', state: 'failed' }), schedule({ id: 3, keyId: 'k3' })],
      now: Date.now(),
      hold: null
    })
}
const rowOf = (name: string) => screen.getAllByRole('row').find((r) => r.querySelector('.name-text')?.textContent === name)!

describe('keys table rows', () => {
  // jsdom lays nothing out: the grid gets a height so the virtualizer renders its rows.
  const own = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight')
  beforeAll(() => Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 }))
  afterAll(() => {
    if (own) Object.defineProperty(HTMLElement.prototype, 'clientHeight', own)
    else delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight
  })

  it("show each key's scheduled revoke from the tenant's one schedules list (none on revoked keys)", async () => {
    act(() => useUi.setState({ activeTenantId: 'p1', filter: { text: '', statuses: [], scopes: [] } }))
    const { callsTo } = renderWithKeyDesk(<KeysView tenant={tenantView()} />, { keys: { tenant: 'p1', keys }, fakes })
    await waitFor(() => expect(rowOf('billing').textContent).toContain('revokes in 23 h'))
    expect(rowOf('search').textContent).toContain('revoke failed')
    expect(rowOf('old').textContent).not.toMatch(/revoke/)
    expect(rowOf('mail').textContent).not.toMatch(/revoke/)
    expect(callsTo('schedule.list')).toEqual([{ tenant: 'p1', states: ['scheduled', 'running', 'failed'] }])
  })

  it('select all ticks every live key of the view and unticks them again; a row click opens its key', () => {
    act(() => useUi.setState({ activeTenantId: 'p1', filter: { text: '', statuses: [], scopes: [] } }))
    renderWithKeyDesk(<KeysView tenant={tenantView()} />, { keys: { tenant: 'p1', keys }, fakes })
    const all = screen.getByRole('checkbox', { name: 'Select all keys in this view' }) as HTMLInputElement
    expect(all.checked).toBe(false)
    fireEvent.click(all)
    expect([...useUi.getState().checked].sort()).toEqual(['k1', 'k2', 'k4'])
    expect(all.checked).toBe(true)
    fireEvent.click(all)
    expect(useUi.getState().checked.size).toBe(0)
    // A single tick, then a shift-click selects the range between them, skipping the revoked key.
    fireEvent.click(within(rowOf('billing')).getByRole('checkbox'))
    fireEvent.click(within(rowOf('mail')).getByRole('checkbox'), { shiftKey: true })
    expect([...useUi.getState().checked].sort()).toEqual(['k1', 'k2', 'k4'])
    fireEvent.click(rowOf('search'))
    expect(useUi.getState().selectedKeyId).toBe('k2')
  })

  it('a table mounted again (a tenant switch) renders its rows in its first render, at the size measured last', () => {
    act(() => useUi.setState({ activeTenantId: 'p1', filter: { text: '', statuses: [], scopes: [] } }))
    const mountOnce = () => {
      const phases: string[] = []
      renderWithKeyDesk(
        <Profiler id="keys" onRender={(_id, phase) => phases.push(phase)}>
          <KeysView tenant={tenantView()} />
        </Profiler>,
        { keys: { tenant: 'p1', keys }, fakes }
      )
      const rows = screen.getAllByRole('row').length
      cleanup()
      return { phases, rows }
    }
    const first = mountOnce()
    const again = mountOnce()
    expect(again.rows).toBe(first.rows)
    expect(again.rows).toBe(keys.length + 1)
    // Not a first render without rows (the grid's size unknown) and a second one with them.
    expect(again.phases).toEqual(['mount'])
  })
})

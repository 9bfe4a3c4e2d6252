// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { exportFileName } from '../../../../src/renderer/src/features/keys/export-name'
import { KeysView } from '../../../../src/renderer/src/features/keys/KeysView'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { makeKey } from '../../../fixtures/keys'
import { ok, renderWithKeyDesk, tenantView } from './render'

const fakes = {
  'keys.pendingRotations': () => ok({ pending: [] }),
  'ratelimit.status': () => ok({ tenant: 'p1', current: null, preAuth: null, pacing: { waitingUntil: null, reason: null }, history: [] })
}
const keys = Array.from({ length: 9 }, (_, i) => makeKey(`k${i}`, { name: `billing-${i}` }))

describe('bulk selections hidden by a filter (defect 9)', () => {
  it('names them and never offers "Revoke selected" over an empty view', () => {
    act(() => useUi.setState({ checked: new Set(keys.map((k) => k.id)), filter: { text: '' } }))
    renderWithKeyDesk(<KeysView tenant={tenantView()} />, { keys: { tenant: 'p1', keys }, fakes })
    expect(screen.getByRole('button', { name: 'Revoke selected (9)' })).toBeTruthy()
    act(() => useUi.getState().setFilter({ text: 'no-such-key' }))
    expect(screen.queryByRole('button', { name: /^Revoke selected/ })).toBeNull()
    expect(screen.getByText('9 selected, 9 hidden by filters')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Clear selection' }))
    expect(useUi.getState().checked.size).toBe(0)
    expect(screen.queryByText(/hidden by filters/)).toBeNull()
  })
  it('revokes only the selected keys still in view', () => {
    act(() => useUi.setState({ checked: new Set(keys.map((k) => k.id)), filter: { text: 'billing-1' } }))
    renderWithKeyDesk(<KeysView tenant={tenantView()} />, { keys: { tenant: 'p1', keys }, fakes })
    expect(screen.getByText('9 selected, 8 hidden by filters')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Revoke selected (1)' }))
    expect(useUi.getState().dialog).toEqual({ kind: 'bulk-revoke', tenantId: 'p1', keyIds: ['k1'] })
  })
})

describe('the empty filter state (defect 14)', () => {
  it('offers Clear filters', () => {
    act(() => useUi.setState({ filter: { text: 'nothing-matches', statuses: ['revoked'] } }))
    renderWithKeyDesk(<KeysView tenant={tenantView()} />, { keys: { tenant: 'p1', keys }, fakes })
    expect(screen.getByText('No key matches this search and these filters.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Clear filters' }))
    expect(useUi.getState().filter).toEqual({ text: '', statuses: [], scopes: [] })
    expect(screen.getByText('9 keys')).toBeTruthy()
  })
})

describe('the export file name (defect 14)', () => {
  const now = Date.UTC(2026, 0, 15)
  it('has no double dash', () => {
    expect(exportFileName('acme-prod (EU)', 'csv', now)).toBe('acme-prod-EU-keys-2026-01-15.csv')
    expect(exportFileName('acme -- prod', 'json', now)).toBe('acme-prod-keys-2026-01-15.json')
    expect(exportFileName('***', 'csv', now)).toBe('tenant-keys-2026-01-15.csv')
  })
})

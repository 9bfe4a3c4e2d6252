// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Dialogs } from '../../../../src/renderer/src/app/Dialogs'
import { KeysView } from '../../../../src/renderer/src/features/keys/KeysView'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { makeKey } from '../../../fixtures/keys'
import { ok, renderWithKeyDesk, tenantView } from './render'

const fakes = {
  'keys.pendingRotations': () => ok({ pending: [] }),
  'ratelimit.status': () => ok({ tenant: 'p1', current: null, preAuth: null, pacing: { waitingUntil: null, reason: null }, history: [] }),
  'audit.list': () => ok({ events: [], pagination: { total: 0, limit: 50, offset: 0, has_more: false } })
}
const keys = [
  makeKey('k1', { name: 'alpha', created_at: '2026-01-03T00:00:00.000Z' }),
  makeKey('k2', { name: 'beta', created_at: '2026-01-02T00:00:00.000Z' }),
  makeKey('k3', { name: 'gamma', created_at: '2026-01-01T00:00:00.000Z' })
]
const tenant = tenantView()
const renderView = () =>
  renderWithKeyDesk(
    <>
      <KeysView tenant={tenant} />
      <Dialogs tenant={tenant} tenants={[tenant]} onSelect={() => {}} />
    </>,
    { keys: { tenant: 'p1', keys }, fakes }
  )
const table = () => screen.getByRole('grid', { name: 'API keys' })

describe('the detail panel (issue 13 §2.8)', () => {
  it('follows the arrow-key selection while open', () => {
    renderView()
    table().focus()
    fireEvent.keyDown(table(), { key: 'Enter' })
    expect(screen.getByRole('complementary', { name: 'Details of alpha' })).toBeTruthy()
    fireEvent.keyDown(table(), { key: 'ArrowDown' })
    expect(screen.getByRole('complementary', { name: 'Details of beta' })).toBeTruthy()
  })

  it('Esc closes it and focus goes back to the table', async () => {
    const { user } = renderView()
    act(() => useUi.getState().selectKey('k2'))
    screen.getByRole('button', { name: 'Close details' }).focus()
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('complementary', { name: /^Details of/ })).toBeNull()
    expect(document.activeElement).toBe(table())
  })

  it('closes when a filter hides the open key', async () => {
    const { user } = renderView()
    act(() => useUi.getState().selectKey('k2'))
    await user.type(screen.getByRole('searchbox', { name: 'Search keys' }), 'gamma')
    expect(screen.queryByRole('complementary', { name: /^Details of/ })).toBeNull()
    expect(useUi.getState().selectedKeyId).toBeNull()
  })
})

describe('focus after a dialog (issue 13 §2.8)', () => {
  it('returns only once the dialog has left the page (a modal makes the rest inert), and to the table when its origin is gone', async () => {
    renderView()
    const origin = screen.getByRole('button', { name: 'Create key' })
    let dialogsOpenAtFocus = -1
    origin.addEventListener('focus', () => (dialogsOpenAtFocus = document.querySelectorAll('dialog').length))
    origin.focus()
    origin.blur()
    act(() => useUi.getState().openDialog({ kind: 'revoke', tenantId: 'p1', keyId: 'k1' }))
    const revokeOrigin = document.activeElement
    act(() => useUi.setState({ returnFocus: origin }))
    act(() => useUi.getState().closeDialog())
    expect(dialogsOpenAtFocus).toBe(0)
    expect(document.activeElement).toBe(origin)
    expect(revokeOrigin).toBeTruthy()

    // Origin gone (the "Revoke selected" button after a bulk revocation): the table gets focus.
    const gone = document.createElement('button')
    act(() => useUi.getState().openDialog({ kind: 'revoke', tenantId: 'p1', keyId: 'k1' }))
    act(() => useUi.setState({ returnFocus: gone }))
    act(() => useUi.getState().closeDialog())
    expect(document.activeElement).toBe(table())
  })
})

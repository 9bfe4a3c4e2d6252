// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { KeysView } from '../../../../src/renderer/src/features/keys/KeysView'
import { useShortcuts } from '../../../../src/renderer/src/lib/shortcuts'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { qk } from '../../../../src/renderer/src/lib/query-keys'
import { makeKey } from '../../../fixtures/keys'
import { ok, renderWithKeyDesk, tenantView } from './render'

const fakes = {
  'keys.pendingRotations': () => ok({ pending: [] }),
  'ratelimit.status': () => ok({ tenant: 'p1', current: null, preAuth: null, pacing: { waitingUntil: null, reason: null }, history: [] })
}

describe('writes while the list came from the store (offline)', () => {
  it('disables Create key, and enables it when MeshQu answered', () => {
    const keys = [makeKey('k1', { name: 'billing' })]
    const offline = renderWithKeyDesk(<KeysView tenant={tenantView()} />, { keys: { tenant: 'p1', keys, servedFrom: 'store' }, fakes })
    expect((screen.getByRole('button', { name: 'Create key' }) as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByText(/^Offline — showing keys as of/)).toBeTruthy()
    offline.unmount()
    renderWithKeyDesk(<KeysView tenant={tenantView()} />, { keys: { tenant: 'p1', keys, servedFrom: 'network' }, fakes })
    expect((screen.getByRole('button', { name: 'Create key' }) as HTMLButtonElement).disabled).toBe(false)
  })
})

describe('a list MeshQu could not give whole (issue 12 A1, A2)', () => {
  it("says it is partial, in main's words", async () => {
    const keys = [makeKey('k1', { name: 'billing' })]
    const reason = 'MeshQu claims 200,000,000 keys; KeyDesk stopped after 250 requests. The list is partial.'
    const view = renderWithKeyDesk(<KeysView tenant={tenantView()} />, { fakes })
    view.qc.setQueryData(qk.keys('p1'), {
      data: { keys, total: 200_000_000, pages: 250, incomplete: true, incompleteReason: reason },
      meta: { tenantId: 'p1', servedFrom: 'network', syncedAt: 1 }
    })
    const banner = await screen.findByText(reason)
    expect(banner.getAttribute('role')).toBe('status')
  })
})

function ShortcutProbe({ canCreateKey }: { canCreateKey: boolean }) {
  useShortcuts([], () => {}, canCreateKey)
  return null
}

describe('keyboard shortcuts act on state, not on what the page shows', () => {
  it('`n` opens Create key only when a key may be created', () => {
    act(() => useUi.setState({ activeTenantId: 'p1', dialog: null }))
    const blocked = renderWithKeyDesk(<ShortcutProbe canCreateKey={false} />)
    fireEvent.keyDown(window, { key: 'n' })
    expect(useUi.getState().dialog).toBeNull()
    blocked.unmount()
    renderWithKeyDesk(<ShortcutProbe canCreateKey />)
    fireEvent.keyDown(window, { key: 'n' })
    expect(useUi.getState().dialog).toEqual({ kind: 'create-key', tenantId: 'p1' })
  })

  it("`/` focuses the keys view's search box through the UI store", () => {
    act(() => useUi.setState({ activeTenantId: 'p1', dialog: null }))
    renderWithKeyDesk(
      <>
        <ShortcutProbe canCreateKey />
        <KeysView tenant={tenantView()} />
      </>,
      { keys: { tenant: 'p1', keys: [makeKey('k1')] }, fakes }
    )
    fireEvent.keyDown(window, { key: '/' })
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search keys' }))
  })
})

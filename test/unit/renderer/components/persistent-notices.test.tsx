// @vitest-environment jsdom
import { act, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { PersistentNotices } from '../../../../src/renderer/src/app/Notices'
import { useNotices } from '../../../../src/renderer/src/app/notices'
import { KeysView } from '../../../../src/renderer/src/features/keys/KeysView'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { makeKey } from '../../../fixtures/keys'
import { ok, renderWithKeyDesk, tenantView } from './render'

describe('warnings that must persist (issue 13 §2.11)', () => {
  it('"revocation was NOT applied" stays after a later reply without it, carries its action, and goes only when dismissed', async () => {
    useNotices.setState({ notices: [] })
    const keys = [makeKey('k1', { name: 'billing' })]
    const sentence = 'The revocation of billing was NOT applied: MeshQu still lists it as active.'
    const first = { keys, total: 1, pages: 1, settledWrites: [sentence], settled: [{ sentence, kind: 'revoke', keyId: 'k1', applied: false }] }
    const { rerender, user } = renderWithKeyDesk(<PersistentNotices tenantId="p1" data={first} />)
    expect(screen.getByRole('alert').textContent).toContain('NOT applied')
    // An unrelated refetch: the new list no longer carries the settled write.
    rerender(<PersistentNotices tenantId="p1" data={{ keys, total: 1, pages: 1 }} />)
    expect(screen.getByRole('alert').textContent).toContain('NOT applied')
    await user.click(screen.getByRole('button', { name: 'Revoke again…' }))
    expect(useUi.getState().dialog).toEqual({ kind: 'revoke', tenantId: 'p1', keyId: 'k1' })
    act(() => useUi.setState({ dialog: null }))
    await user.click(screen.getByRole('button', { name: /^Dismiss/ }))
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('"1 rotation pending" names its key and filters the table to it', async () => {
    const keys = [makeKey('k1', { name: 'billing' }), makeKey('k2', { name: 'search-api' }), makeKey('k3', { name: 'billing-2026' })]
    const { user } = renderWithKeyDesk(<KeysView tenant={tenantView()} />, {
      keys: { tenant: 'p1', keys },
      fakes: {
        'keys.pendingRotations': () => ok({ pending: [{ tenant: 'p1', oldKeyId: 'k1', newKeyId: 'k3', rotatedAt: 1 }] }),
        'ratelimit.status': () => ok({ tenant: 'p1', current: null, preAuth: null, pacing: { waitingUntil: null, reason: null }, history: [] })
      }
    })
    const banner = await screen.findByText(/1 rotation pending/)
    expect(banner.textContent).toContain('(billing)')
    await user.click(screen.getByRole('button', { name: 'Show it' }))
    expect(screen.getByText('1 of 3 keys')).toBeTruthy()
    await user.click(screen.getByRole('button', { name: 'Show all keys' }))
    expect(screen.getByText('3 keys')).toBeTruthy()
  })
})

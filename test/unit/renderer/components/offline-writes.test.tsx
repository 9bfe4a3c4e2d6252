// @vitest-environment jsdom
import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Dialogs } from '../../../../src/renderer/src/app/Dialogs'
import { KeysView } from '../../../../src/renderer/src/features/keys/KeysView'
import { writeBlockReason } from '../../../../src/renderer/src/features/keys/write-block'
import { makeKey } from '../../../fixtures/keys'
import { ok, renderWithKeyDesk, tenantView } from './render'

const fakes = {
  'keys.pendingRotations': () => ok({ pending: [] }),
  'ratelimit.status': () => ok({ tenant: 'p1', current: null, preAuth: null, pacing: { waitingUntil: null, reason: null }, history: [] }),
  'keys.revoke': () => ok(null)
}

describe('offline mode blocks every write path (issue 13 §2.1)', () => {
  it('Delete on a row opens Revoke with its button disabled and the reason, and Enter sends nothing', async () => {
    const tenant = tenantView()
    const keys = [makeKey('k1', { name: 'billing' })]
    const { user, callsTo } = renderWithKeyDesk(
      <>
        <KeysView tenant={tenant} />
        <Dialogs tenant={tenant} tenants={[tenant]} onSelect={() => {}} />
      </>,
      { keys: { tenant: 'p1', keys, servedFrom: 'store' }, fakes }
    )
    screen.getByRole('grid', { name: 'API keys' }).focus()
    await user.keyboard('{Delete}')
    const dialog = await screen.findByRole('dialog', { name: /^Revoke API key/ })
    await user.type(within(dialog).getByRole('textbox', { name: /^Type the key name/ }), 'billing{Enter}')
    const revoke = within(dialog).getByRole('button', { name: /^Revoke key in / }) as HTMLButtonElement
    expect(revoke.disabled).toBe(true)
    expect(within(dialog).getByText(/^Unavailable offline/)).toBeTruthy()
    expect(revoke.getAttribute('aria-describedby')).toBeTruthy()
    expect(callsTo('keys.revoke')).toEqual([])
  })

  it('one rule for lists from the fleet store and for tenants known unreachable', () => {
    const data = (servedFrom: 'store' | 'network') => ({ data: { keys: [], total: 0, pages: 1 }, meta: { tenantId: 'p1', servedFrom, syncedAt: 1 } })
    expect(writeBlockReason(tenantView(), data('network'))).toBeNull()
    expect(writeBlockReason(tenantView(), data('store'))).toMatch(/^Unavailable offline/)
    expect(writeBlockReason(tenantView({ status: 'offline' }), data('network'))).toMatch(/^Unavailable offline/)
    expect(writeBlockReason(tenantView({ status: 'stopped' }), data('network'))).toMatch(/sandbox is stopped/)
  })

  it('the bulk button is disabled with its reason when offline', async () => {
    const { useUi } = await import('../../../../src/renderer/src/lib/store')
    useUi.setState({ checked: new Set(['k1']) })
    renderWithKeyDesk(<KeysView tenant={tenantView()} />, {
      keys: { tenant: 'p1', keys: [makeKey('k1', { name: 'billing' })], servedFrom: 'store' },
      fakes
    })
    const bulk = screen.getByRole('button', { name: /^Revoke selected/ }) as HTMLButtonElement
    expect(bulk.disabled).toBe(true)
    expect(bulk.title).toMatch(/^Unavailable offline/)
  })
})

// @vitest-environment jsdom
import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { KeysView } from '../../../../src/renderer/src/features/keys/KeysView'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { makeKey } from '../../../fixtures/keys'
import { fail, ok, renderWithKeyDesk, tenantView } from './render'

const fakes = {
  'keys.pendingRotations': () => ok({ pending: [] }),
  'ratelimit.status': () => ok({ tenant: 'p1', current: null, preAuth: null, pacing: { waitingUntil: null, reason: null }, history: [] })
}
const refused = fail(
  {
    code: 'UNAUTHORIZED',
    message: 'MeshQu did not accept the admin key for tenant acme (401).',
    status: 401,
    outcome: 'rejected',
    reachedServer: true
  },
  { tenantId: 'p1', tenantStatus: 'auth-failed' }
)

describe('a server that refuses the admin key (issue 13 §2.6)', () => {
  it('shows one state, "admin key refused", with the way to the tenant settings: no Offline, no VPN, no Retry', async () => {
    const { user } = renderWithKeyDesk(<KeysView tenant={tenantView()} />, {
      fakes: { ...fakes, 'keys.listAll': () => refused, 'keys.fromStore': () => fail({ code: 'NOT_FOUND', message: 'none' }) }
    })
    expect(await screen.findByText('Admin key refused.')).toBeTruthy()
    expect(screen.getAllByRole('alert')).toHaveLength(1)
    expect(screen.queryByRole('button', { name: /Retry/ })).toBeNull()
    expect(screen.queryByText(/Offline|VPN/)).toBeNull()
    await user.click(screen.getByRole('button', { name: 'Open tenant settings' }))
    expect(useUi.getState().dialog).toEqual({ kind: 'edit-tenant', tenantId: 'p1' })
  })

  it('with an older list from the fleet store on screen: still the one state, not the offline banner', () => {
    renderWithKeyDesk(<KeysView tenant={tenantView({ status: 'auth-failed' })} />, {
      keys: { tenant: 'p1', keys: [makeKey('k1')], servedFrom: 'store' },
      fakes
    })
    expect(screen.getByText('Admin key refused.')).toBeTruthy()
    expect(screen.queryByText(/^Offline —/)).toBeNull()
    expect(screen.queryByRole('button', { name: /Retry/ })).toBeNull()
  })
})

describe('the sandbox tenant after a restart (issue 13 §2.3)', () => {
  it('offers "Start the sandbox" and says what Retry does', async () => {
    const sandboxTenant = tenantView({ embedded: true, status: 'stopped', label: 'sandbox' })
    const { user, callsTo } = renderWithKeyDesk(<KeysView tenant={sandboxTenant} />, {
      keys: { tenant: 'p1', keys: [makeKey('k1')], servedFrom: 'store' },
      fakes: {
        ...fakes,
        'sandbox.start': () => ok({ tenant: { ...sandboxTenant, status: 'online' }, url: 'http://127.0.0.1:1' }),
        'tenants.list': () => ok({ tenants: [], activeId: null, warnings: [] })
      }
    })
    expect(screen.getByText('The sandbox is stopped.')).toBeTruthy()
    expect(screen.queryByText(/^Offline —/)).toBeNull()
    const retry = screen.getByRole('button', { name: 'Retry' })
    expect(retry.getAttribute('aria-describedby') && document.getElementById(retry.getAttribute('aria-describedby')!)?.textContent).toMatch(
      /cannot start it/
    )
    await user.click(screen.getByRole('button', { name: 'Start the sandbox' }))
    expect(callsTo('sandbox.start')).toHaveLength(1)
  })
})

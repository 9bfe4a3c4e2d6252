// @vitest-environment jsdom
import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { RevokeDialog } from '../../../../src/renderer/src/features/keys/RevokeDialog'
import { makeKey } from '../../../fixtures/keys'
import { fail, ok, renderWithKeyDesk, tenantView } from './render'

const dialog = () => screen.getByRole('dialog', { name: /^Revoke API key/ })
const billing = makeKey('k1', { name: 'billing' })

describe('RevokeDialog', () => {
  it('enables Revoke only once the key name is typed exactly, then revokes it', async () => {
    const { user, callsTo } = renderWithKeyDesk(<RevokeDialog tenant={tenantView()} keyId="k1" />, {
      keys: { tenant: 'p1', keys: [billing] },
      fakes: {
        'keys.revoke': () => ok({ ...billing, is_active: false, revoked_at: '2026-01-02T00:00:00.000Z' }),
        'keys.pendingRotations': () => ok({ pending: [] })
      }
    })
    const revoke = within(dialog()).getByRole('button', { name: /^Revoke key in / }) as HTMLButtonElement
    const input = within(dialog()).getByRole('textbox', { name: /^Type the key name to confirm/ })
    await user.type(input, 'Billing')
    expect(revoke.disabled).toBe(true)
    await user.clear(input)
    await user.type(input, 'billing')
    expect(revoke.disabled).toBe(false)
    await user.click(revoke)
    expect(callsTo('keys.revoke')).toEqual([{ tenant: 'p1', id: 'k1', name: 'billing' }])
  })

  it("warns on production and on KeyDesk's own admin key", () => {
    const own = makeKey('k2', { name: 'keydesk-admin', key_preview: 'mqu_live_...ADMN' })
    renderWithKeyDesk(<RevokeDialog tenant={tenantView({ environment: 'production', label: 'acme-prod' })} keyId="k2" />, {
      keys: { tenant: 'p1', keys: [own] }
    })
    expect(within(dialog()).getByText('This is a production tenant.')).toBeTruthy()
    expect(within(dialog()).getByText(/This is the admin key KeyDesk uses for acme-prod/)).toBeTruthy()
  })

  it('says in its own words that nothing was revoked when MeshQu does not know the key', async () => {
    const { user } = renderWithKeyDesk(<RevokeDialog tenant={tenantView()} keyId="k1" />, {
      keys: { tenant: 'p1', keys: [billing] },
      fakes: {
        'keys.revoke': () => fail({ code: 'NOT_FOUND', message: 'generic', status: 404, outcome: 'rejected', reachedServer: true }),
        'keys.listAll': () => ok({ keys: [billing], total: 1, pages: 1 }, { tenantId: 'p1' })
      }
    })
    await user.type(within(dialog()).getByRole('textbox', { name: /^Type the key name to confirm/ }), 'billing')
    await user.click(within(dialog()).getByRole('button', { name: /^Revoke key in / }))
    expect((await within(dialog()).findByRole('alert')).textContent).toMatch(
      /MeshQu does not know billing in tenant acme-staging \(404\).*nothing was revoked/
    )
  })

  it('has nothing to do for a key that is already revoked', () => {
    renderWithKeyDesk(<RevokeDialog tenant={tenantView()} keyId="k1" />, {
      keys: { tenant: 'p1', keys: [{ ...billing, is_active: false, revoked_at: '2026-01-02T00:00:00.000Z' }] }
    })
    expect(within(dialog()).getByText(/already revoked/)).toBeTruthy()
    expect(within(dialog()).queryByRole('button', { name: /^Revoke key in / })).toBeNull()
  })
})

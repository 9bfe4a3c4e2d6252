// @vitest-environment jsdom
import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { CreateKeyDialog } from '../../../../src/renderer/src/features/key-forms/CreateKeyDialog'
import { makeKey } from '../../../fixtures/keys'
import { fail, ok, renderWithKeyDesk, tenantView } from './render'

const dialog = () => screen.getByRole('dialog', { name: /^Create API key/ })
const created = (name: string) =>
  ok({ key: makeKey('new1', { name, scopes: ['audit:read'] }), revealId: 'slot-1', revealExpiresAt: Date.now() + 60_000 })

describe('CreateKeyDialog', () => {
  it('puts every validation error on its field and sends nothing', async () => {
    const { user, calls } = renderWithKeyDesk(<CreateKeyDialog tenant={tenantView()} />, { keys: { tenant: 'p1', keys: [] } })
    await user.click(within(dialog()).getByRole('radio', { name: 'On a date' }))
    await user.click(within(dialog()).getByRole('button', { name: /^Create key in / }))
    const name = within(dialog()).getByRole('textbox', { name: /^Name/ })
    expect(name.getAttribute('aria-invalid')).toBe('true')
    expect(await within(dialog()).findByText('Name is required')).toBeTruthy()
    expect(within(dialog()).getByText('Choose at least one scope')).toBeTruthy()
    expect(within(dialog()).getByText('Pick the expiry date.')).toBeTruthy()
    // Only the policy was read (to show its limits); nothing was sent.
    expect(calls.filter((c) => c.channel !== 'policy.get')).toEqual([])
  })

  it("sends the shared schema's body: trimmed name, chosen scopes, expiry", async () => {
    const { user, callsTo } = renderWithKeyDesk(<CreateKeyDialog tenant={tenantView()} />, {
      fakes: { 'keys.create': () => created('billing'), 'secrets.discard': () => ok({ discarded: true }) }
    })
    await user.type(within(dialog()).getByRole('textbox', { name: /^Name/ }), '  billing  ')
    await user.click(within(dialog()).getByRole('checkbox', { name: 'audit:read' }))
    await user.click(within(dialog()).getByRole('radio', { name: 'Never' }))
    await user.click(within(dialog()).getByRole('button', { name: /^Create key in / }))
    expect(await screen.findByRole('dialog', { name: 'Copy your new key' })).toBeTruthy()
    expect(callsTo('keys.create')).toEqual([{ tenant: 'p1', key: { name: 'billing', scopes: ['audit:read'], expires_at: null } }])
  })

  it("shows MeshQu's field errors on the fields, with one plain summary", async () => {
    const refused = fail({
      code: 'VALIDATION',
      message: 'MeshQu rejected the request for tenant acme-staging (400).',
      status: 400,
      outcome: 'rejected',
      reachedServer: true,
      fields: { 'key.name': 'A key with this name already exists' }
    })
    const { user } = renderWithKeyDesk(<CreateKeyDialog tenant={tenantView()} />, { fakes: { 'keys.create': () => refused } })
    await user.type(within(dialog()).getByRole('textbox', { name: /^Name/ }), 'billing')
    await user.click(within(dialog()).getByRole('checkbox', { name: 'audit:read' }))
    await user.click(within(dialog()).getByRole('button', { name: /^Create key in / }))
    expect(await within(dialog()).findByText('A key with this name already exists')).toBeTruthy()
    expect(within(dialog()).getByRole('textbox', { name: /^Name/ }).getAttribute('aria-invalid')).toBe('true')
    expect(within(dialog()).getByRole('alert').textContent).toMatch(/fields marked below/)
  })

  it('warns about production and privileged scopes', async () => {
    const { user } = renderWithKeyDesk(<CreateKeyDialog tenant={tenantView({ environment: 'production', label: 'acme-prod' })} />)
    expect(within(dialog()).getByText(/PRODUCTION/, { selector: 'strong' })).toBeTruthy()
    expect(within(dialog()).getByRole('button', { name: /^Create key in / })).toBeTruthy()
    await user.click(within(dialog()).getByRole('checkbox', { name: 'api-keys:admin' }))
    expect(
      within(dialog())
        .getByText(/Least privilege:/)
        .closest('[role=status]')?.textContent
    ).toMatch(/api-keys:admin is privileged/)
  })
})

describe('CreateKeyDialog and the fleet policy', () => {
  const policy = {
    production: { maxExpiryDays: 90, expiryRequired: true, forbiddenScopes: ['api-keys:admin', 'audit:admin'], allowedPresets: null },
    staging: { maxExpiryDays: null, expiryRequired: false, forbiddenScopes: [], allowedPresets: null },
    development: { maxExpiryDays: null, expiryRequired: false, forbiddenScopes: [], allowedPresets: null },
    sandbox: { maxExpiryDays: null, expiryRequired: false, forbiddenScopes: [], allowedPresets: null }
  }
  it('shows the limits, puts a POLICY refusal’s rule on its field (by the rule, not the text), and sends the waiver', async () => {
    let refuse = true
    const { user, callsTo } = renderWithKeyDesk(<CreateKeyDialog tenant={tenantView({ environment: 'production' })} />, {
      fakes: {
        'policy.get': () => ok(policy),
        'keys.create': () =>
          refuse ? fail({ code: 'POLICY', message: 'main says something else entirely', rule: 'expiry-required' }) : created('billing'),
        'secrets.discard': () => ok({ discarded: true })
      }
    })
    expect(await within(dialog()).findByText('Production policy: expires within 90 days; api-keys:admin and audit:admin forbidden.')).toBeTruthy()
    await user.type(within(dialog()).getByRole('textbox', { name: /^Name/ }), 'billing')
    await user.click(within(dialog()).getByRole('checkbox', { name: 'audit:read' }))
    await user.click(within(dialog()).getByRole('radio', { name: 'Never' }))
    await user.click(within(dialog()).getByRole('button', { name: /^Create key in / }))
    expect(
      await within(dialog()).findByText(
        'Production policy: a key must expire within 90 days. Outside policy (expiry-required): add a waiver to create it anyway.'
      )
    ).toBeTruthy()
    const waiver = within(dialog()).getByRole('checkbox', { name: 'Allow outside policy with a waiver' }) as HTMLInputElement
    expect(waiver.checked).toBe(true)
    refuse = false
    await user.type(within(dialog()).getByRole('textbox', { name: 'Waiver reason' }), 'legacy batch job')
    await user.click(within(dialog()).getByRole('button', { name: /^Create key in / }))
    expect(await screen.findByRole('dialog', { name: 'Copy your new key' })).toBeTruthy()
    const sent = callsTo('keys.create') as { waiver?: { reason: string; until: number } }[]
    expect(sent[1]!.waiver!.reason).toBe('legacy batch job')
    expect(sent[1]!.waiver!.until - Date.now()).toBeGreaterThan(6 * 86_400_000)
  })
})

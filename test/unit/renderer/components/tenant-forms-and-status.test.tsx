// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { AddTenantDialog } from '../../../../src/renderer/src/features/tenants/AddTenantDialog'
import { EditTenantDialog } from '../../../../src/renderer/src/features/tenants/EditTenantDialog'
import { useTenantStatusFromReplies } from '../../../../src/renderer/src/features/tenants/queries'
import { api } from '../../../../src/renderer/src/lib/api'
import { qk } from '../../../../src/renderer/src/lib/query-keys'
import { fail, ok, renderWithKeyDesk, tenantView } from './render'

const dialog = () => screen.getByRole('dialog', { name: 'Add tenant' })
const field = (name: RegExp) => within(dialog()).getByLabelText(name)

describe('AddTenantDialog', () => {
  it('checks the form with the shared NewTenantSchema and puts each error on its field', async () => {
    const { user, calls } = renderWithKeyDesk(<AddTenantDialog onAdded={vi.fn()} />)
    await user.type(field(/^Tenant ID/), 'not-a-uuid')
    await user.click(within(dialog()).getByRole('button', { name: 'Verify and save' }))
    expect(await within(dialog()).findByText('Label is required')).toBeTruthy()
    expect(within(dialog()).getByText(/Tenant id must be a UUID/)).toBeTruthy()
    expect(within(dialog()).getByText('Paste the whole admin key')).toBeTruthy()
    expect(field(/^Label/).getAttribute('aria-invalid')).toBe('true')
    expect(calls).toEqual([])
  })

  it('shows a refused admin key on the Admin key field, and sends the trimmed values', async () => {
    const refused = fail({
      code: 'UNAUTHORIZED',
      message: 'MeshQu did not accept the admin key for tenant acme (401).',
      status: 401,
      outcome: 'rejected',
      reachedServer: true,
      fields: { adminKey: 'MeshQu refused this admin key' }
    })
    const { user, callsTo } = renderWithKeyDesk(<AddTenantDialog onAdded={vi.fn()} />, { fakes: { 'tenants.add': () => refused } })
    await user.type(field(/^Label/), 'acme')
    await user.type(field(/^Tenant ID/), ' 123e4567-e89b-12d3-a456-426614174000 ')
    await user.type(field(/^Admin key/), 'mqu_live_wrongwrongwrong')
    await user.click(within(dialog()).getByRole('button', { name: 'Verify and save' }))
    expect(await within(dialog()).findByText('MeshQu refused this admin key')).toBeTruthy()
    expect(field(/^Admin key/).getAttribute('aria-invalid')).toBe('true')
    expect(callsTo('tenants.add')).toMatchObject([
      { label: 'acme', tenantId: '123e4567-e89b-12d3-a456-426614174000', environment: 'staging', skipVerify: false }
    ])
  })
})

function StatusProbe() {
  useTenantStatusFromReplies()
  return null
}

describe('tenant status from reply meta', () => {
  it("updates the sidebar's cached tenant list from any reply, without re-reading it", async () => {
    const { qc, callsTo } = renderWithKeyDesk(<StatusProbe />, {
      fakes: {
        'keys.listAll': () => fail({ code: 'UNAUTHORIZED', message: 'refused', status: 401 }, { tenantId: 'p1', tenantStatus: 'auth-failed' }),
        'ratelimit.status': () =>
          ok(
            { tenant: 'p1', current: null, preAuth: null, pacing: { waitingUntil: null, reason: null }, history: [] },
            { tenantId: 'p1', tenantStatus: 'online' }
          )
      }
    })
    qc.setQueryData(qk.tenants, { tenants: [tenantView(), tenantView({ id: 'p2', label: 'other' })], activeId: 'p1', warnings: [] })
    const statuses = () => (qc.getQueryData(qk.tenants) as { tenants: { id: string; status: string }[] }).tenants.map((t) => [t.id, t.status])
    await act(() => api().keys.listAll({ tenant: 'p1' }))
    expect(statuses()).toEqual([
      ['p1', 'auth-failed'],
      ['p2', 'online']
    ])
    await act(() => api().ratelimit.status({ tenant: 'p1' }))
    expect(statuses()[0]).toEqual(['p1', 'online'])
    expect(callsTo('tenants.list')).toEqual([])
  })
})

describe('Add tenant summary (issue 13 §2.10)', () => {
  it('puts every error on its field and says one plain summary: no channel names, no field sentence again, no "highlighted"', async () => {
    const { user } = renderWithKeyDesk(<AddTenantDialog onAdded={vi.fn()} />)
    await user.type(field(/^Tenant ID/), 'not-a-uuid')
    await user.click(within(dialog()).getByRole('button', { name: 'Verify and save' }))
    await within(dialog()).findByText('Label is required')
    const alerts = within(dialog()).getAllByRole('alert')
    expect(alerts).toHaveLength(1)
    const summary = alerts[0]!.textContent!
    expect(summary).toMatch(/Label, Tenant ID and Admin key/)
    expect(summary).not.toMatch(/tenants\.add|tenantId|highlighted|required|UUID|Paste the whole/)
  })

  it('a refusal from main with fields (duplicate label, router check) goes on the fields, not in the summary', async () => {
    const refused = fail({
      code: 'VALIDATION',
      message: 'Invalid input for tenants.add: tenantId: Invalid uuid.',
      fields: { label: 'Already used by another tenant ("acme")', tenantId: 'Invalid uuid' }
    })
    const { user } = renderWithKeyDesk(<AddTenantDialog onAdded={vi.fn()} />, { fakes: { 'tenants.add': () => refused } })
    await user.type(field(/^Label/), 'ACME')
    await user.type(field(/^Tenant ID/), '123e4567-e89b-12d3-a456-426614174000')
    await user.type(field(/^Admin key/), 'mqu_live_wrongwrongwrong')
    await user.click(within(dialog()).getByRole('button', { name: 'Verify and save' }))
    expect(await within(dialog()).findByText('Already used by another tenant ("acme")')).toBeTruthy()
    expect(field(/^Label/).getAttribute('aria-invalid')).toBe('true')
    const summary = within(dialog()).getByRole('alert').textContent!
    expect(summary).toMatch(/Check Label and Tenant ID/)
    expect(summary).not.toMatch(/tenants\.add|tenantId|Invalid uuid|Already used/)
  })
})

describe('EditTenantDialog', () => {
  const edit = () => screen.getByRole('dialog', { name: 'Tenant settings' })
  const editField = (name: RegExp) => within(edit()).getByLabelText(name)

  it('leaves an unchanged base URL out of the update', async () => {
    const { user, callsTo } = renderWithKeyDesk(<EditTenantDialog tenant={tenantView()} />, {
      fakes: { 'tenants.update': () => ok(tenantView({ baseUrl: 'https://eu.meshqu.test' })) }
    })
    await user.clear(editField(/^Label/))
    await user.type(editField(/^Label/), 'acme-eu')
    await user.click(within(edit()).getByRole('button', { name: 'Save' }))
    await vi.waitFor(() => expect(callsTo('tenants.update')).toHaveLength(1))
    expect(callsTo('tenants.update')[0]).toMatchObject({ label: 'acme-eu', baseUrl: undefined })
  })

  it("sends a changed base URL (main verifies it before saving) and puts main's refusal on the Base URL field", async () => {
    const refused = fail({
      code: 'OFFLINE',
      message: 'Could not reach https://eu.meshqu.test.',
      outcome: 'not-sent',
      fields: { baseUrl: 'Could not reach this host' }
    })
    const { user, callsTo } = renderWithKeyDesk(<EditTenantDialog tenant={tenantView()} />, { fakes: { 'tenants.update': () => refused } })
    await user.clear(editField(/^Base URL/))
    await user.type(editField(/^Base URL/), 'https://eu.meshqu.test/')
    await user.click(within(edit()).getByRole('button', { name: 'Save' }))
    expect(await within(edit()).findByText('Could not reach this host')).toBeTruthy()
    expect(editField(/^Base URL/).getAttribute('aria-invalid')).toBe('true')
    expect(callsTo('tenants.update')).toMatchObject([{ baseUrl: 'https://eu.meshqu.test' }])
    expect(callsTo('tenants.update')[0]).toMatchObject({ label: undefined })
  })
})

// @vitest-environment jsdom
import { screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import type { Reply } from '../../../../src/shared/envelope'
import { AddTenantDialog } from '../../../../src/renderer/src/features/tenants/AddTenantDialog'
import { EditTenantDialog } from '../../../../src/renderer/src/features/tenants/EditTenantDialog'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { fail, ok, renderWithKeyDesk, tenantView } from './render'

/**
 * A write that hangs until tenants.cancelVerify names its verifyId, then answers as main does.
 * (Main's side is tested against real HTTP in test/integration/verify-cancel.test.ts.)
 */
function hangingUntilCancelled(sentence: string) {
  const waiting = new Map<string, (r: Reply<unknown>) => void>()
  return {
    write: (payload: unknown) => new Promise<Reply<unknown>>((resolve) => waiting.set((payload as { verifyId: string }).verifyId, resolve)),
    cancel: (payload: unknown) => {
      const id = (payload as { verifyId: string }).verifyId
      const answer = waiting.get(id)
      answer?.(fail({ code: 'CANCELLED', message: sentence, outcome: 'not-sent' }))
      return ok({ cancelled: !!answer })
    }
  }
}

describe('Cancel while verifying', () => {
  it("Add tenant: Cancel sends the call's own id to main, stays on the form, keeps the values and focuses Base URL", async () => {
    const main = hangingUntilCancelled('Verification cancelled. acme was not added and its admin key was not stored.')
    const { user, callsTo } = renderWithKeyDesk(<AddTenantDialog onAdded={vi.fn()} />, {
      fakes: { 'tenants.add': main.write, 'tenants.cancelVerify': main.cancel }
    })
    useUi.setState({ dialog: { kind: 'add-tenant' } })
    const dialog = screen.getByRole('dialog', { name: 'Add tenant' })
    await user.type(within(dialog).getByLabelText(/^Label/), 'acme')
    await user.type(within(dialog).getByLabelText(/^Tenant ID/), '123e4567-e89b-12d3-a456-426614174000')
    await user.type(within(dialog).getByLabelText(/^Admin key/), 'mqu_live_slowslowslow')
    await user.click(within(dialog).getByRole('button', { name: 'Verify and save' }))
    await within(dialog).findByRole('button', { name: 'Verifying…' })
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))

    expect((await within(dialog).findByRole('status')).textContent).toContain('acme was not added')
    const [sent] = callsTo('tenants.add') as { verifyId: string }[]
    expect(callsTo('tenants.cancelVerify')).toEqual([{ verifyId: sent!.verifyId }])
    expect(useUi.getState().dialog).toEqual({ kind: 'add-tenant' })
    expect(document.activeElement).toBe(within(dialog).getByLabelText(/^Base URL/))
    expect((within(dialog).getByLabelText(/^Label/) as HTMLInputElement).value).toBe('acme')
    expect(within(dialog).queryByRole('alert')).toBeNull()

    // The next attempt is a new verification with a new id.
    await user.click(within(dialog).getByRole('button', { name: 'Verify and save' }))
    const second = (callsTo('tenants.add') as { verifyId: string }[])[1]!
    expect(second.verifyId).not.toBe(sent!.verifyId)
  })

  it('Add tenant: leaving the dialog mid-verification cancels it in main too', async () => {
    const main = hangingUntilCancelled('Verification cancelled.')
    const { user, callsTo, unmount } = renderWithKeyDesk(<AddTenantDialog onAdded={vi.fn()} />, {
      fakes: { 'tenants.add': main.write, 'tenants.cancelVerify': main.cancel }
    })
    const dialog = screen.getByRole('dialog', { name: 'Add tenant' })
    await user.type(within(dialog).getByLabelText(/^Label/), 'acme')
    await user.type(within(dialog).getByLabelText(/^Tenant ID/), '123e4567-e89b-12d3-a456-426614174000')
    await user.type(within(dialog).getByLabelText(/^Admin key/), 'mqu_live_slowslowslow')
    await user.click(within(dialog).getByRole('button', { name: 'Verify and save' }))
    await within(dialog).findByRole('button', { name: 'Verifying…' })
    unmount()
    const [sent] = callsTo('tenants.add') as { verifyId: string }[]
    expect(callsTo('tenants.cancelVerify')).toEqual([{ verifyId: sent!.verifyId }])
  })

  it('Tenant settings: Cancel while a new admin key is verified keeps the form and returns to the key field', async () => {
    const main = hangingUntilCancelled('Verification cancelled. The admin key of acme-staging was not replaced, and nothing else was saved.')
    const { user, callsTo } = renderWithKeyDesk(<EditTenantDialog tenant={tenantView()} />, {
      fakes: { 'tenants.update': main.write, 'tenants.cancelVerify': main.cancel }
    })
    useUi.setState({ dialog: { kind: 'edit-tenant', tenantId: 'p1' } })
    const dialog = screen.getByRole('dialog', { name: 'Tenant settings' })
    await user.type(within(dialog).getByLabelText(/^Replace admin key/), 'mqu_live_newnewnewnew')
    await user.click(within(dialog).getByRole('button', { name: 'Save' }))
    await within(dialog).findByRole('button', { name: 'Saving…' })
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }))

    expect((await within(dialog).findByRole('status')).textContent).toContain('was not replaced')
    const [sent] = callsTo('tenants.update') as { verifyId: string }[]
    expect(callsTo('tenants.cancelVerify')).toEqual([{ verifyId: sent!.verifyId }])
    expect(useUi.getState().dialog).toEqual({ kind: 'edit-tenant', tenantId: 'p1' })
    expect(document.activeElement).toBe(within(dialog).getByLabelText(/^Replace admin key/))
  })
})

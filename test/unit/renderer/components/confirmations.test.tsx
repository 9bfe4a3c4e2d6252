// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { CreateKeyDialog } from '../../../../src/renderer/src/features/key-forms/CreateKeyDialog'
import { useRotateKey } from '../../../../src/renderer/src/features/key-forms/mutations'
import { RevokeDialog } from '../../../../src/renderer/src/features/keys/RevokeDialog'
import { Toasts, useToasts } from '../../../../src/renderer/src/ui/Toast'
import { makeKey } from '../../../fixtures/keys'
import { ok, renderWithKeyDesk, tenantView } from './render'

afterEach(() => useToasts.setState({ toasts: [] }))
const toasts = () => within(document.querySelector('.toasts') as HTMLElement)

describe('a short confirmation after create, revoke and rotate (defect 15)', () => {
  it('create: a toast, and the copy-once dialog restates the scopes and the expiry', async () => {
    const key = makeKey('new1', { name: 'billing', scopes: ['audit:read', 'decisions:evaluate'], expires_at: '2026-03-01T00:00:00.000Z' })
    const { user } = renderWithKeyDesk(
      <>
        <CreateKeyDialog tenant={tenantView()} />
        <Toasts />
      </>,
      {
        fakes: {
          'keys.create': () => ok({ key, revealId: 'slot-1', revealExpiresAt: Date.now() + 60_000 }),
          'secrets.discard': () => ok({ discarded: true })
        }
      }
    )
    const create = screen.getByRole('dialog', { name: /^Create API key/ })
    await user.type(within(create).getByRole('textbox', { name: /^Name/ }), 'billing')
    await user.click(within(create).getByRole('checkbox', { name: 'audit:read' }))
    await user.click(within(create).getByRole('button', { name: /^Create key in / }))
    const once = await screen.findByRole('dialog', { name: 'Copy your new key' })
    expect(within(once).getByText('audit:read')).toBeTruthy()
    expect(within(once).getByText('decisions:evaluate')).toBeTruthy()
    expect(within(once).getByText(/2026-03-01 00:00:00 UTC/)).toBeTruthy()
    expect(toasts().getByText('Key billing created.')).toBeTruthy()
  })

  it('revoke: a toast naming the key', async () => {
    const billing = makeKey('k1', { name: 'billing' })
    const { user } = renderWithKeyDesk(
      <>
        <RevokeDialog tenant={tenantView()} keyId="k1" />
        <Toasts />
      </>,
      {
        keys: { tenant: 'p1', keys: [billing] },
        fakes: {
          'keys.revoke': () => ok({ ...billing, is_active: false, revoked_at: '2026-01-02T00:00:00.000Z' }),
          'keys.pendingRotations': () => ok({ pending: [] })
        }
      }
    )
    const dialog = screen.getByRole('dialog', { name: /^Revoke API key/ })
    await user.type(within(dialog).getByRole('textbox', { name: /^Type the key name to confirm/ }), 'billing')
    await user.click(within(dialog).getByRole('button', { name: /^Revoke key in / }))
    expect(await toasts().findByText('Key billing revoked.')).toBeTruthy()
  })

  it('rotate: a toast naming the old key and its replacement', async () => {
    const old = makeKey('k1', { name: 'billing' })
    const fresh = makeKey('k2', { name: 'billing-2' })
    function Probe() {
      const rotate = useRotateKey('p1', 'k1')
      return (
        <button type="button" onClick={() => rotate.mutate({ name: 'billing-2', expires_at: null })}>
          go
        </button>
      )
    }
    const { user } = renderWithKeyDesk(
      <>
        <Probe />
        <Toasts />
      </>,
      {
        keys: { tenant: 'p1', keys: [old] },
        fakes: { 'keys.rotate': () => ok({ old, created: { key: fresh, revealId: 'slot-2', revealExpiresAt: Date.now() + 60_000 } }) }
      }
    )
    await user.click(screen.getByRole('button', { name: 'go' }))
    await waitFor(() => expect(toasts().getByText('Key billing rotated: billing-2 replaces it.')).toBeTruthy())
  })
})

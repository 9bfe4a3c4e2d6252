// @vitest-environment jsdom
import { screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { RotateDialog } from '../../../../src/renderer/src/features/key-forms/RotateDialog'
import { makeKey } from '../../../fixtures/keys'
import { fail, ok, renderWithKeyDesk, tenantView } from './render'

const old = makeKey('k1', { name: 'billing', scopes: ['audit:read', 'decisions:read'] })
const replacement = makeKey('k2', { name: 'billing-next', scopes: old.scopes })
const dialog = () => screen.getByRole('dialog', { name: /^Rotate API key/ })
const nameField = () => within(dialog()).getByRole('textbox', { name: /^New key name/ })

const fakes = {
  'keys.rotate': () => ok({ old, created: { key: replacement, revealId: 'slot-2', revealExpiresAt: Date.now() + 60_000 } }),
  'keys.finishRotation': () => ok({ old: null, pending: [] }),
  'keys.pendingRotations': () => ok({ pending: [] }),
  'secrets.discard': () => ok({ discarded: true })
}

describe('RotateDialog', () => {
  it('proposes a dated name, checks it with the shared schema, and keeps the scopes', async () => {
    const { user, callsTo } = renderWithKeyDesk(<RotateDialog tenant={tenantView()} keyId="k1" />, { keys: { tenant: 'p1', keys: [old] }, fakes })
    expect((nameField() as HTMLInputElement).value).toMatch(/^billing-rotated-\d{8}$/)
    await user.clear(nameField())
    await user.click(within(dialog()).getByRole('button', { name: /^Rotate key in / }))
    expect(await within(dialog()).findByText('Name is required')).toBeTruthy()
    expect(callsTo('keys.rotate')).toEqual([])
    await user.type(nameField(), 'billing-next')
    await user.click(within(dialog()).getByRole('radio', { name: 'Never' }))
    await user.click(within(dialog()).getByRole('button', { name: /^Rotate key in / }))
    expect(await screen.findByRole('dialog', { name: 'Copy your new key' })).toBeTruthy()
    expect(callsTo('keys.rotate')).toEqual([{ tenant: 'p1', id: 'k1', name: 'billing-next', expires_at: null }])
  })

  it('puts a server field error on the name field', async () => {
    const refused = fail({ code: 'VALIDATION', message: 'Invalid input for keys.rotate: name: taken.', fields: { name: 'Name is taken' } })
    const { user } = renderWithKeyDesk(<RotateDialog tenant={tenantView()} keyId="k1" />, {
      keys: { tenant: 'p1', keys: [old] },
      fakes: { ...fakes, 'keys.rotate': () => refused }
    })
    await user.click(within(dialog()).getByRole('button', { name: /^Rotate key in / }))
    expect(await within(dialog()).findByText('Name is taken')).toBeTruthy()
    expect(nameField().getAttribute('aria-invalid')).toBe('true')
  })

  it('after the copy-once step, revokes the old key only when its name is typed back', async () => {
    const { user, callsTo } = renderWithKeyDesk(<RotateDialog tenant={tenantView({ environment: 'production', label: 'acme-prod' })} keyId="k1" />, {
      keys: { tenant: 'p1', keys: [old] },
      fakes
    })
    await user.click(within(dialog()).getByRole('button', { name: /^Rotate key in / }))
    const copy = await screen.findByRole('dialog', { name: 'Copy your new key' })
    await user.click(within(copy).getByRole('checkbox', { name: 'I have stored this key' }))
    await user.click(within(copy).getByRole('button', { name: 'Done' }))
    // The finish step names the tenant and wears its production badge; its revoke button names the tenant too.
    const finish = await screen.findByRole('dialog', { name: /^Rotate API key in acme-prod/ })
    expect(within(finish).getByRole('heading', { level: 2 }).textContent).toBe('Rotate API key in acme-prod Production')
    const revoke = within(finish).getByRole('button', { name: 'Revoke old key now in acme-prod' }) as HTMLButtonElement
    expect(revoke.disabled).toBe(true)
    await user.type(within(finish).getByRole('textbox'), 'billing')
    expect(revoke.disabled).toBe(false)
    await user.click(within(finish).getByRole('button', { name: 'Later' }))
    expect(callsTo('keys.finishRotation')).toEqual([{ tenant: 'p1', oldKeyId: 'k1', newKeyId: 'k2', revokeOld: false }])
  })
})

describe('revoking the old key by protection level', () => {
  const toFinish = async (level: 'open' | 'protected') => {
    const r = renderWithKeyDesk(<RotateDialog tenant={tenantView({ environment: 'development', label: 'acme-dev', level })} keyId="k1" />, {
      keys: { tenant: 'p1', keys: [old] },
      fakes
    })
    await r.user.click(within(dialog()).getByRole('button', { name: /^Rotate key in / }))
    const copy = await screen.findByRole('dialog', { name: 'Copy your new key' })
    await r.user.click(within(copy).getByRole('checkbox', { name: 'I have stored this key' }))
    await r.user.click(within(copy).getByRole('button', { name: 'Done' }))
    const finish = await screen.findByRole('dialog', { name: /^Rotate API key in acme-dev/ })
    return { ...r, finish, revoke: within(finish).getByRole('button', { name: 'Revoke old key now in acme-dev' }) as HTMLButtonElement }
  }

  it('an Open tenant revokes the old key with the one button that names it, nothing typed', async () => {
    const { user, finish, revoke, callsTo } = await toFinish('open')
    expect(within(finish).queryByRole('textbox', { name: /old key's name/ })).toBeNull()
    expect(revoke.disabled).toBe(false)
    await user.click(revoke)
    await vi.waitFor(() => expect(callsTo('keys.finishRotation')).toEqual([{ tenant: 'p1', oldKeyId: 'k1', newKeyId: 'k2', revokeOld: true }]))
  })

  it('a Protected tenant still asks for the old name typed back', async () => {
    const { finish, revoke } = await toFinish('protected')
    expect(within(finish).getByRole('textbox', { name: /old key's name/ })).toBeTruthy()
    expect(revoke.disabled).toBe(true)
  })
})

describe('rotation naming and repeats (issue 13 §2.13)', () => {
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, '')
  it('warns when the key already has a rotation pending', () => {
    const next = makeKey('k2', { name: 'billing-next' })
    renderWithKeyDesk(<RotateDialog tenant={tenantView()} keyId="k1" />, {
      keys: { tenant: 'p1', keys: [old, next] },
      fakes: { ...fakes, 'keys.pendingRotations': () => ok({ pending: [{ tenant: 'p1', oldKeyId: 'k1', newKeyId: 'k2', rotatedAt: 1 }] }) }
    })
    return within(dialog())
      .findByText(/A rotation of/)
      .then((warning) => expect(warning.textContent).toMatch(/billing-next replaced it/))
  })

  it('rotating a replacement does not propose a name a key already has', () => {
    const first = makeKey('k5', { name: `billing-rotated-${today}` })
    renderWithKeyDesk(<RotateDialog tenant={tenantView()} keyId="k5" />, { keys: { tenant: 'p1', keys: [old, first] }, fakes })
    expect((nameField() as HTMLInputElement).value).toBe(`billing-rotated-${today}-2`)
  })

  it('never cuts a name silently: a shortened proposal says so, and a long typed name is refused, not truncated', async () => {
    const long = makeKey('k6', { name: 'x'.repeat(100) })
    const { user, callsTo } = renderWithKeyDesk(<RotateDialog tenant={tenantView()} keyId="k6" />, { keys: { tenant: 'p1', keys: [long] }, fakes })
    expect(within(dialog()).getByText(/shortened to fit MeshQu's 100-character limit/)).toBeTruthy()
    await user.clear(nameField())
    await user.click(nameField())
    await user.paste('n'.repeat(250))
    expect((nameField() as HTMLInputElement).value).toHaveLength(250)
    await user.click(within(dialog()).getByRole('button', { name: /^Rotate key in / }))
    expect(await within(dialog()).findByText('Name must be at most 100 characters')).toBeTruthy()
    expect(callsTo('keys.rotate')).toEqual([])
  })
})

describe("rotating KeyDesk's own admin key (issue 13 §2.2)", () => {
  it('warns, and "Use the new key for KeyDesk" verifies and stores it first, then revokes the old one', async () => {
    const admin = makeKey('k1', { name: 'keydesk-admin', key_preview: 'mqu_live_...ADMN', scopes: ['api-keys:admin'] })
    const { user, calls } = renderWithKeyDesk(<RotateDialog tenant={tenantView()} keyId="k1" />, {
      keys: { tenant: 'p1', keys: [admin] },
      fakes: {
        ...fakes,
        'keys.rotate': () => ok({ old: admin, created: { key: replacement, revealId: 'slot-2', revealExpiresAt: Date.now() + 60_000 } }),
        'tenants.update': () => ok(tenantView({ adminKeyPreview: replacement.key_preview })),
        'tenants.list': () => ok({ tenants: [], activeId: null, warnings: [] })
      }
    })
    await user.click(within(dialog()).getByRole('radio', { name: 'Never' }))
    await user.click(within(dialog()).getByRole('button', { name: /^Rotate key in / }))
    expect(await within(dialog()).findByText(/is the admin key KeyDesk uses for acme-staging/)).toBeTruthy()
    await user.click(within(dialog()).getByRole('button', { name: 'Use the new key for KeyDesk' }))
    await vi.waitFor(() => expect(calls.map((c) => c.channel)).toContain('keys.finishRotation'))
    const writes = calls.filter((c) => ['tenants.update', 'secrets.discard', 'keys.finishRotation'].includes(c.channel))
    expect(writes).toEqual([
      { channel: 'tenants.update', payload: { tenant: 'p1', adminKeyRevealId: 'slot-2' } },
      { channel: 'secrets.discard', payload: { revealId: 'slot-2' } },
      { channel: 'keys.finishRotation', payload: { tenant: 'p1', oldKeyId: 'k1', newKeyId: 'k2', revokeOld: true } }
    ])
  })
})

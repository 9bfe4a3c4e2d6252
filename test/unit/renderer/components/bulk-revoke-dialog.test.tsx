// @vitest-environment jsdom
import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { BulkJob } from '../../../../src/shared/contract'
import { BulkRevokeDialog } from '../../../../src/renderer/src/features/bulk/BulkRevokeDialog'
import { makeBulkJob } from '../../../fixtures/bulk-job'
import { makeKey } from '../../../fixtures/keys'
import { fail, ok, renderWithKeyDesk, tenantView } from './render'

const keys = [
  makeKey('k1', { name: 'svc-a' }),
  makeKey('k2', { name: 'svc-b' }),
  makeKey('k3', { name: 'gone-already', is_active: false, revoked_at: '2026-01-02T00:00:00.000Z' }),
  makeKey('k4', { name: 'keydesk-admin', key_preview: 'mqu_live_...ADMN' })
]
const dialog = () => screen.getByRole('dialog', { name: /^Revoke selected keys/ })
const job = (over: Partial<BulkJob> = {}): BulkJob =>
  makeBulkJob({
    total: 2,
    pending: 2,
    results: [
      { tenant: 'p1', id: 'k1', state: 'pending' },
      { tenant: 'p1', id: 'k2', state: 'pending' }
    ],
    ...over
  })
const finishedWithOneFailure = job({
  revoked: 1,
  failed: 1,
  pending: 0,
  finished: true,
  results: [
    { tenant: 'p1', id: 'k1', state: 'revoked' },
    { tenant: 'p1', id: 'k2', state: 'failed', code: 'UPSTREAM', message: 'MeshQu had a problem (500).' }
  ]
})

describe('BulkRevokeDialog', () => {
  it("leaves out revoked keys and KeyDesk's own admin key, and says so", () => {
    renderWithKeyDesk(<BulkRevokeDialog tenant={tenantView()} keyIds={['k1', 'k2', 'k3', 'k4', 'k9']} />, { keys: { tenant: 'p1', keys } })
    const list = within(dialog()).getByRole('list', { name: 'Keys to revoke' })
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    ).toEqual(['svc-a mqu_test_...00k1', 'svc-b mqu_test_...00k2'])
    const left = within(dialog()).getByText(/^Left out:/).textContent
    expect(left).toMatch(/1 key is already revoked/)
    expect(left).toMatch(/KeyDesk's own admin key for acme-staging is never revoked in bulk/)
    expect(left).toMatch(/1 key is no longer in the list/)
  })

  it('starts only when the count is typed back, then shows the results', async () => {
    const { user, callsTo } = renderWithKeyDesk(<BulkRevokeDialog tenant={tenantView()} keyIds={['k1', 'k2', 'k4']} />, {
      keys: { tenant: 'p1', keys },
      fakes: { 'bulk.revoke': () => ok(job()), 'bulk.status': () => ok(finishedWithOneFailure) }
    })
    const start = within(dialog()).getByRole('button', { name: /^Revoke 2 keys in / }) as HTMLButtonElement
    await user.type(within(dialog()).getByRole('textbox', { name: 'Type the number of keys to confirm' }), '3')
    expect(start.disabled).toBe(true)
    await user.clear(within(dialog()).getByRole('textbox', { name: 'Type the number of keys to confirm' }))
    await user.type(within(dialog()).getByRole('textbox', { name: 'Type the number of keys to confirm' }), '2')
    await user.click(start)
    expect(await within(dialog()).findByText('Finished with keys left unrevoked; see below.')).toBeTruthy()
    expect(callsTo('bulk.revoke')).toEqual([{ tenant: 'p1', ids: ['k1', 'k2'] }])
    expect(within(dialog()).getByRole('button', { name: 'Retry failed' })).toBeTruthy()
    // A failure is never drawn as a full bar of success (defect 14).
    const bar = within(dialog()).getByRole('progressbar', { name: 'Revocation progress' })
    expect(bar.getAttribute('aria-valuetext')).toBe('1 revoked, 1 failed, of 2')
    expect((bar.querySelector('.bulk-progress-failed') as HTMLElement).style.width).toBe('50%')
    expect((bar.querySelector('.bulk-progress-revoked') as HTMLElement).style.width).toBe('50%')
  })

  it('while a job runs, stopping it is not a footer button beside Close (defect 14)', async () => {
    const { user } = renderWithKeyDesk(<BulkRevokeDialog tenant={tenantView()} keyIds={['k1', 'k2']} />, {
      keys: { tenant: 'p1', keys },
      fakes: { 'bulk.revoke': () => ok(job()), 'bulk.status': () => ok(job()) }
    })
    await user.type(within(dialog()).getByRole('textbox', { name: 'Type the number of keys to confirm' }), '2')
    await user.click(within(dialog()).getByRole('button', { name: /^Revoke 2 keys in / }))
    const stop = await within(dialog()).findByRole('button', { name: 'Stop revoking' })
    const close = within(dialog())
      .getAllByRole('button', { name: 'Close' })
      .find((b) => b.textContent === 'Close')!
    expect(within(dialog()).queryByRole('button', { name: 'Cancel' })).toBeNull()
    expect(stop.parentElement).not.toBe(close.parentElement)
  })

  it('offers nothing to revoke when no selected key can be', () => {
    renderWithKeyDesk(<BulkRevokeDialog tenant={tenantView()} keyIds={['k3', 'k4']} />, { keys: { tenant: 'p1', keys } })
    expect(within(dialog()).getByText(/Nothing to revoke/)).toBeTruthy()
    expect(within(dialog()).queryByRole('button', { name: /^Revoke \d+ keys$/ })).toBeNull()
  })

  it('shows why a job could not start', async () => {
    const { user } = renderWithKeyDesk(<BulkRevokeDialog tenant={tenantView()} keyIds={['k1']} />, {
      keys: { tenant: 'p1', keys },
      fakes: {
        'bulk.revoke': () =>
          fail({
            code: 'OFFLINE',
            message: 'Could not reach api.meshqu.test for tenant acme-staging. Check your network or VPN, then retry.',
            outcome: 'not-sent',
            reachedServer: false
          })
      }
    })
    await user.type(within(dialog()).getByRole('textbox', { name: 'Type the number of keys to confirm' }), '1')
    await user.click(within(dialog()).getByRole('button', { name: /^Revoke 1 key in / }))
    expect((await within(dialog()).findByRole('alert')).textContent).toMatch(/^Could not reach api\.meshqu\.test/)
  })
})

// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { SettingsSchema } from '../../../../src/shared/contract'
import type { ScheduledRevoke } from '../../../../src/shared/schedule'
import { makeSchedule } from '../../../fixtures/schedule'
import { RevokeDialog } from '../../../../src/renderer/src/features/keys/RevokeDialog'
import { KeySchedule } from '../../../../src/renderer/src/features/schedule/KeySchedule'
import { countdown, toWhen } from '../../../../src/renderer/src/features/schedule/when'
import { makeKey } from '../../../fixtures/keys'
import { fail, ok, renderWithKeyDesk, tenantView } from './render'

const billing = makeKey('k1', { name: 'billing' })
const prod = tenantView({ environment: 'production', label: 'acme-prod' })
const settings = (requireReasonInProduction: boolean) => () => ok(SettingsSchema.parse({ requireReasonInProduction }))

describe('reasons', () => {
  it('a production revoke needs a reason when the setting is on, and sends it', async () => {
    const { user, callsTo } = renderWithKeyDesk(<RevokeDialog tenant={prod} keyId="k1" />, {
      keys: { tenant: 'p1', keys: [billing] },
      fakes: {
        'settings.get': settings(true),
        'keys.revoke': () => ok({ ...billing, is_active: false }),
        'keys.pendingRotations': () => ok({ pending: [] })
      }
    })
    const dialog = screen.getByRole('dialog', { name: /^Revoke API key/ })
    const reason = within(dialog).getByRole('textbox', { name: /^Reason/ })
    await waitFor(() => expect(reason.getAttribute('aria-required')).toBe('true'))
    await user.type(within(dialog).getByRole('textbox', { name: /^Type the key name/ }), 'billing')
    const go = within(dialog).getByRole('button', { name: /^Revoke key in / }) as HTMLButtonElement
    expect(go.disabled).toBe(true)
    await user.type(reason, '  SEC-42  ')
    expect(go.disabled).toBe(false)
    await user.click(go)
    expect(callsTo('keys.revoke')).toEqual([{ tenant: 'p1', id: 'k1', name: 'billing', reason: 'SEC-42' }])
  })

  it("is optional on staging, and shows main's fields.reason refusal on the field", async () => {
    const { user } = renderWithKeyDesk(<RevokeDialog tenant={tenantView()} keyId="k1" />, {
      keys: { tenant: 'p1', keys: [billing] },
      fakes: {
        'settings.get': settings(true),
        'keys.revoke': () =>
          fail({ code: 'VALIDATION', message: 'A reason is required', fields: { reason: 'Give a reason for this production change' } })
      }
    })
    const dialog = screen.getByRole('dialog', { name: /^Revoke API key/ })
    const reason = within(dialog).getByRole('textbox', { name: /^Reason/ })
    expect(reason.getAttribute('aria-required')).toBeNull()
    await user.type(within(dialog).getByRole('textbox', { name: /^Type the key name/ }), 'billing')
    await user.click(within(dialog).getByRole('button', { name: /^Revoke key in / }))
    expect(await within(dialog).findByText('Give a reason for this production change')).toBeTruthy()
    expect(reason.getAttribute('aria-invalid')).toBe('true')
  })
})

const schedule = (over: Partial<ScheduledRevoke> = {}) => makeSchedule({ id: 7, reason: 'rotation', ...over })

describe('scheduled revoke in the detail panel', () => {
  it('counts down and cancels with one click', async () => {
    let live = [schedule()]
    const { user, callsTo } = renderWithKeyDesk(<KeySchedule tenant={tenantView()} k={billing} revoked={false} offline={false} />, {
      fakes: {
        'settings.get': settings(false),
        'schedule.list': () => ok({ schedules: live, now: Date.now(), hold: null }),
        'schedule.cancel': () => {
          live = []
          return ok(schedule({ state: 'cancelled' }))
        }
      }
    })
    const box = await screen.findByRole('region', { name: 'Scheduled revoke' })
    await waitFor(() => expect(within(box).getByRole('status').textContent).toMatch(/Revokes in 23 h/))
    await user.click(within(box).getByRole('button', { name: 'Cancel scheduled revoke' }))
    expect(callsTo('schedule.cancel')).toEqual([{ id: 7 }])
    expect(await within(box).findByRole('button', { name: 'Schedule a revoke' })).toBeTruthy()
  })

  it('shows a failure, and an overdue one as overdue', async () => {
    renderWithKeyDesk(<KeySchedule tenant={tenantView()} k={billing} revoked={false} offline={false} />, {
      fakes: {
        'settings.get': settings(false),
        'schedule.list': () =>
          ok({
            schedules: [schedule({ state: 'failed', lastErrorCode: 'FORBIDDEN', lastError: 'MeshQu refused the admin key', doneAt: Date.now() })],
            now: Date.now(),
            hold: null
          })
      }
    })
    expect((await screen.findByRole('alert')).textContent).toMatch(/scheduled revoke failed.*MeshQu refused the admin key/)
  })
})

describe('when', () => {
  it('turns choices into the contract and refuses a past or far time', () => {
    const now = Date.UTC(2026, 0, 1, 12)
    expect(toWhen('24h', '', now)).toEqual({ in: '24h' })
    expect(toWhen('at', '', now)).toEqual({ error: 'Choose a date and time.' })
    expect(toWhen('at', '2025-12-31T10:00', now)).toEqual({ error: 'Choose a time in the future.' })
    expect(toWhen('at', '2028-01-01T10:00', now)).toEqual({ error: 'Choose a time within a year.' })
    expect(toWhen('at', '2026-01-05T10:00', now)).toEqual({ at: new Date('2026-01-05T10:00').getTime() })
    expect([countdown(23 * 3_600_000), countdown(5 * 60_000 - 1), countdown(3 * 86_400_000), countdown(-1)]).toEqual([
      'in 23 h',
      'in 5 min',
      'in 3 d',
      'due now'
    ])
  })
})

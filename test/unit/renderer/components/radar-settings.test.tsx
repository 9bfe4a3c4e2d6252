// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { SettingsSchema, type Settings } from '../../../../src/shared/contract'
import { makeSchedule } from '../../../fixtures/schedule'
import { RADAR_CATEGORIES, type RadarCategory } from '../../../../src/shared/radar'
import { RadarSettingsDialog } from '../../../../src/renderer/src/features/radar/RadarSettingsDialog'
import { RadarSchedules } from '../../../../src/renderer/src/features/radar/RadarSchedules'
import { radarKeys } from '../../../../src/renderer/src/features/radar/queries'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { fail, ok, renderWithKeyDesk } from './render'

const defaults = (): Settings => SettingsSchema.parse({})
const dialog = () => screen.getByRole('dialog', { name: 'Radar settings' })
const field = (name: string) => within(dialog()).getByRole('spinbutton', { name }) as HTMLInputElement
const toggle = (name: string) => within(dialog()).getByRole('switch', { name }) as HTMLInputElement

async function open(fakes: NonNullable<Parameters<typeof renderWithKeyDesk>[1]>['fakes'] = {}) {
  useUi.setState({ dialog: { kind: 'radar-settings' } })
  const view = renderWithKeyDesk(<RadarSettingsDialog />, { fakes: { 'settings.get': () => ok(defaults()), ...fakes } })
  await within(await screen.findByRole('dialog', { name: 'Radar settings' })).findByRole('spinbutton', { name: 'Unused after (days) for Production' })
  return view
}

describe('radar settings dialog', () => {
  it('shows every environment with its saved thresholds, production stricter, development not notifying', async () => {
    await open()
    expect(field('Unused after (days) for Production').value).toBe('90')
    expect(field('Unused after (days) for Staging').value).toBe('180')
    expect(field('Never used after (days) for Development').value).toBe('30')
    expect(field('Rotation pending after (days) for Sandbox').value).toBe('7')
    expect(within(dialog()).getByRole('checkbox', { name: 'Flag keys without expiry for Production' })).toHaveProperty('checked', true)
    expect(within(dialog()).getByRole('checkbox', { name: 'Flag keys without expiry for Staging' })).toHaveProperty('checked', false)
    expect(toggle('Expiry notifications for Production').checked).toBe(true)
    expect(toggle('Expiry notifications for Development').checked).toBe(false)
    // The first field has focus, even though the settings arrived after the dialog opened.
    expect(document.activeElement).toBe(field('Unused after (days) for Production'))
  })

  it('checks the values with the shared schema: each error on its field, one plain summary, nothing sent', async () => {
    const { user, callsTo } = await open()
    await user.clear(field('Unused after (days) for Production'))
    await user.clear(field('Never used after (days) for Staging'))
    await user.type(field('Never used after (days) for Staging'), '0')
    await user.clear(field('Rotation pending after (days) for Development'))
    await user.type(field('Rotation pending after (days) for Development'), '400')
    await user.click(within(dialog()).getByRole('button', { name: 'Save' }))

    const unused = field('Unused after (days) for Production')
    await waitFor(() => expect(unused.getAttribute('aria-invalid')).toBe('true'))
    const noteOf = (input: HTMLInputElement) => document.getElementById(input.getAttribute('aria-describedby')!)!.textContent
    expect(noteOf(unused)).toBe('Type a whole number of days')
    expect(noteOf(field('Never used after (days) for Staging'))).toBe('Type at least 1 day')
    expect(noteOf(field('Rotation pending after (days) for Development'))).toBe('Type at most 365 days')
    // Untouched fields are not marked.
    expect(field('Unused after (days) for Staging').getAttribute('aria-invalid')).toBe('false')
    expect(within(dialog()).getByRole('alert').textContent).toBe(
      'Check Unused after (days) for Production, Never used after (days) for Staging and Rotation pending after (days) for Development: each has a note under it saying what is wrong.'
    )
    expect(callsTo('settings.update')).toEqual([])

    // Fixing them clears the notes as the operator types.
    await user.type(unused, '120')
    await waitFor(() => expect(unused.getAttribute('aria-invalid')).toBe('false'))
  })

  it('sends only what changed, then the radar is counted again and the dialog closes', async () => {
    const { user, callsTo, qc } = await open({ 'settings.update': () => ok(defaults()) })
    qc.setQueryData(radarKeys.summary, { stale: true })
    await user.clear(field('Unused after (days) for Production'))
    await user.type(field('Unused after (days) for Production'), '120')
    await user.click(toggle('Expiry notifications for Staging'))
    await user.click(within(dialog()).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(callsTo('settings.update')).toHaveLength(1))
    expect(callsTo('settings.update')[0]).toEqual({ radar: { production: { unusedDays: 120 }, staging: { notifyExpiry: false } } })
    await waitFor(() => expect(useUi.getState().dialog).toBeNull())
    expect(qc.getQueryState(radarKeys.summary)?.isInvalidated).toBe(true)
  })

  it("puts main's refusal of a value on its field", async () => {
    const refused = fail({ code: 'VALIDATION', message: 'Invalid settings', fields: { 'radar.staging.unusedDays': 'Type at most 3,650 days' } })
    const { user } = await open({ 'settings.update': () => refused })
    await user.clear(field('Unused after (days) for Staging'))
    await user.type(field('Unused after (days) for Staging'), '200')
    await user.click(within(dialog()).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(field('Unused after (days) for Staging').getAttribute('aria-invalid')).toBe('true'))
    expect(within(dialog()).getByText('Type at most 3,650 days')).toBeTruthy()
    expect(within(dialog()).getByRole('alert').textContent).toMatch(/^Check Unused after \(days\) for Staging: the note under it/)
    expect(useUi.getState().dialog).toEqual({ kind: 'radar-settings' })
  })

  it('restores the defaults into the form without saving them; Save then sends them', async () => {
    const saved = defaults()
    saved.radar.production.unusedDays = 30
    saved.radar.development.notifyExpiry = true
    const { user, callsTo } = await open({ 'settings.get': () => ok(saved), 'settings.update': () => ok(defaults()) })
    expect(field('Unused after (days) for Production').value).toBe('30')
    await user.click(within(dialog()).getByRole('button', { name: 'Restore defaults' }))
    expect(field('Unused after (days) for Production').value).toBe('90')
    expect(toggle('Expiry notifications for Development').checked).toBe(false)
    expect(callsTo('settings.update')).toEqual([])
    await user.click(within(dialog()).getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(callsTo('settings.update')).toHaveLength(1))
    expect(callsTo('settings.update')[0]).toEqual({ radar: { production: { unusedDays: 90 }, development: { notifyExpiry: false } } })
  })
})

const zero = Object.fromEntries(RADAR_CATEGORIES.map((c) => [c, 0])) as Record<RadarCategory, number>
const tenants = [
  {
    id: 'p1',
    label: 'acme-prod',
    environment: 'production' as const,
    syncedAt: 1,
    ageMs: 1,
    findings: 0,
    counts: zero,
    compliance: { within: 0, live: 0 }
  },
  {
    id: 'p2',
    label: 'globex-staging',
    environment: 'staging' as const,
    syncedAt: 1,
    ageMs: 1,
    findings: 0,
    counts: zero,
    compliance: { within: 0, live: 0 }
  }
]
const schedule = makeSchedule

describe("the radar's scheduled revokes", () => {
  it('lists every tenant, the countdown with the exact time on hover, overdue ones, and cancels with one click', async () => {
    let list = [
      schedule({ id: 1 }),
      schedule({
        id: 2,
        tenant: 'p2',
        keyId: 'k2',
        keyName: 'ledger',
        dueAt: Date.now() - 600_000,
        msUntilDue: -600_000,
        overdue: true,
        attempts: 1,
        lastErrorCode: 'OFFLINE',
        lastError: 'MeshQu cannot be reached.',
        nextAttemptAt: Date.now() + 30_000
      })
    ]
    const { callsTo } = renderWithKeyDesk(<RadarSchedules tenants={tenants} />, {
      fakes: {
        'schedule.list': () => ok({ schedules: list, now: Date.now(), hold: null }),
        'schedule.cancel': (p) => {
          const gone = list.find((s) => s.id === (p as { id: number }).id)!
          list = list.filter((s) => s !== gone)
          return ok({ ...gone, state: 'cancelled' as const })
        }
      }
    })
    const table = await screen.findByRole('table', { name: 'Scheduled revokes' })
    expect(callsTo('schedule.list')[0]).toMatchObject({ states: ['scheduled', 'running'] })
    const [, first, second] = within(table).getAllByRole('row')
    expect(first!.textContent).toContain('acme-prod')
    expect(first!.textContent).toMatch(/Revokes in 23 h,/)
    const when = within(first!).getByText('in 23 h')
    expect(when.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/)
    expect(second!.textContent).toContain('globex-staging')
    expect(second!.textContent).toMatch(
      /Scheduled revoke overdue \(due 10 minutes ago\)\. MeshQu cannot be reached\. Trying again in (a few seconds|30 seconds)\./
    )
    // A schedule that is retrying can still be cancelled.
    const heading = screen.getByRole('heading', { name: /^Scheduled revokes/ })
    fireEvent.click(within(first!).getByRole('button', { name: 'Cancel scheduled revoke of billing in acme-prod' }))
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2))
    expect(callsTo('schedule.cancel')).toEqual([{ id: 1 }])
    expect(document.activeElement).toBe(heading)
  })

  it('says when nothing is scheduled', async () => {
    renderWithKeyDesk(<RadarSchedules tenants={tenants} />, { fakes: { 'schedule.list': () => ok({ schedules: [], now: Date.now(), hold: null }) } })
    expect((await screen.findByText('No revokes are scheduled.')).getAttribute('role')).toBe('status')
    expect(screen.getByRole('heading').textContent).toBe('Scheduled revokes · 0 keys')
  })
})

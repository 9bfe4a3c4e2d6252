// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { AwayNotice } from '../../../../src/renderer/src/features/schedule/AwayNotice'
import { RadarView } from '../../../../src/renderer/src/features/radar/RadarView'
import { RADAR_CATEGORIES, type RadarCategory } from '../../../../src/shared/radar'
import type { ScheduledRevoke } from '../../../../src/shared/schedule'
import { makeSchedule } from '../../../fixtures/schedule'
import { makeKey } from '../../../fixtures/keys'
import { ok, renderWithKeyDesk, tenantView } from './render'

const tenants = () =>
  ok({
    tenants: [tenantView({ id: 'p1', label: 'acme-prod', environment: 'production' }), tenantView({ id: 'p2', label: 'globex-dev' })],
    activeId: 'p1',
    warnings: []
  })

/** schedule.away answers in turn (the last one repeats): main's first pass, then its end. */
function awayAnswers(...answers: { results: ScheduledRevoke[]; pending: boolean }[]) {
  let i = 0
  return () => ok(answers[Math.min(i++, answers.length - 1)]!)
}
const running = [
  makeSchedule({ id: 1, tenant: 'p1', keyId: 'k1', keyName: 'billing', state: 'done', away: true }),
  makeSchedule({ id: 2, tenant: 'p2', keyId: 'k2', keyName: 'reports', keyPreview: 'mqu_live_...REPO', state: 'running', away: true })
]
const done = running.map((s) => ({ ...s, state: 'done' as const }))

describe('While you were away', () => {
  it("is asked again while main's first pass is pending, then names every tenant and what happened", async () => {
    const view = renderWithKeyDesk(<AwayNotice />, {
      fakes: { 'tenants.list': tenants, 'schedule.away': awayAnswers({ results: running, pending: true }, { results: done, pending: false }) },
      keys: { tenant: 'p2', keys: [makeKey('k2', { name: 'reports' })] }
    })
    const notice = await screen.findByRole('status', { name: 'While you were away' })
    await within(notice).findByText('acme-prod, globex-dev')
    expect(notice.textContent).toContain('still running them')
    expect((within(notice).getByRole('button', { name: 'Dismiss' }) as HTMLButtonElement).disabled).toBe(true)
    // Polled until main says the pass is done; then no longer.
    await waitFor(() => expect(notice.textContent).not.toContain('still running them'), { timeout: 4_000 })
    expect(notice.textContent).toMatch(/reports.*globex-dev: revoked/)
    const asked = view.callsTo('schedule.away').length
    expect(asked).toBeGreaterThanOrEqual(2)
    await new Promise((r) => setTimeout(r, 1_300))
    expect(view.callsTo('schedule.away')).toHaveLength(asked)
    // The revoke that ran shows in the tenant's cached list at once, without re-listing it.
    const list = view.qc.getQueryData<{ data: { keys: { id: string; revoked_at: string | null }[] } }>(['tenant', 'p2', 'keys'])
    expect(list?.data.keys.find((k) => k.id === 'k2')?.revoked_at).not.toBeNull()
    expect(view.callsTo('keys.listAll')).toEqual([])
  })

  it('one tenant is named as such', async () => {
    renderWithKeyDesk(<AwayNotice />, {
      fakes: { 'tenants.list': tenants, 'schedule.away': awayAnswers({ results: [done[0]!], pending: false }) }
    })
    const notice = await screen.findByRole('status', { name: 'While you were away' })
    await within(notice).findByText('acme-prod')
    expect(notice.textContent).toMatch(/due in tenant acme-prod/)
  })

  it('is shown in the radar view too', async () => {
    const zero = Object.fromEntries(RADAR_CATEGORIES.map((c) => [c, 0])) as Record<RadarCategory, number>
    renderWithKeyDesk(<RadarView onShowKey={() => {}} />, {
      fakes: {
        'tenants.list': tenants,
        'schedule.away': awayAnswers({ results: done, pending: false }),
        'schedule.list': () => ok({ schedules: [], now: Date.now(), hold: null }),
        'radar.summary': () =>
          ok({
            generatedAt: Date.now(),
            categories: RADAR_CATEGORIES.map((category) => ({ category, total: 0, tenants: [] })),
            tenants: [
              {
                id: 'p1',
                label: 'acme-prod',
                environment: 'production',
                syncedAt: null,
                ageMs: null,
                findings: 0,
                counts: zero,
                compliance: { within: 0, live: 0 }
              }
            ]
          }),
        'radar.presented': () => ok({ tenants: [] })
      }
    })
    const notice = await screen.findByRole('status', { name: 'While you were away' })
    await within(notice).findByText('acme-prod, globex-dev')
    expect(notice.textContent).toMatch(/billing.*acme-prod: revoked/)
  })
})

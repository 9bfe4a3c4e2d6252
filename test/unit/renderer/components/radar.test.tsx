// @vitest-environment jsdom
import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { RadarKeyItem, RadarSummary } from '../../../../src/shared/contract'
import { RADAR_CATEGORIES, type RadarCategory } from '../../../../src/shared/radar'
import { RadarView } from '../../../../src/renderer/src/features/radar/RadarView'
import { shownFindings } from '../../../../src/renderer/src/features/radar/RadarKeysTable'
import { FindingsBadge } from '../../../../src/renderer/src/features/radar/SidebarRadar'
import { useRadarUi } from '../../../../src/renderer/src/features/radar/radar-store'
import { useRadarShortcut } from '../../../../src/renderer/src/features/radar/use-radar-shortcut'
import { useNotificationClicks } from '../../../../src/renderer/src/features/radar/use-notification-clicks'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { Dialogs } from '../../../../src/renderer/src/app/Dialogs'
import { makeKey } from '../../../fixtures/keys'
import { ok, renderWithKeyDesk, tenantView } from './render'

const NOW = Date.now()
const zero = Object.fromEntries(RADAR_CATEGORIES.map((c) => [c, 0])) as Record<RadarCategory, number>

function summary(): RadarSummary {
  return {
    generatedAt: NOW,
    categories: RADAR_CATEGORIES.map((category) =>
      category === 'expiring-7d'
        ? {
            category,
            total: 3,
            tenants: [
              { tenant: 'p1', count: 2 },
              { tenant: 'p2', count: 1 }
            ]
          }
        : { category, total: 0, tenants: [] }
    ),
    tenants: [
      {
        id: 'p1',
        label: 'acme-prod',
        environment: 'production',
        syncedAt: NOW - 3_600_000,
        ageMs: 3_600_000,
        findings: 3,
        counts: { ...zero, 'expiring-7d': 2 },
        compliance: { within: 4, live: 5 }
      },
      {
        id: 'p2',
        label: 'globex-dev',
        environment: 'development',
        syncedAt: null,
        ageMs: null,
        findings: 0,
        counts: zero,
        compliance: { within: 0, live: 0 }
      }
    ]
  }
}

const item = (tenant: 'p1' | 'p2', id: string, name: string): RadarKeyItem => ({
  tenant:
    tenant === 'p1' ? { id: 'p1', label: 'acme-prod', environment: 'production' } : { id: 'p2', label: 'globex-dev', environment: 'development' },
  keyId: id,
  key: makeKey(id, { name }),
  syncedAt: NOW,
  findings: ['expiring-7d', 'expiring-30d'],
  policyRules: []
})

const fakes = {
  'radar.summary': () => ok(summary()),
  'schedule.list': () => ok({ schedules: [], now: NOW, hold: null }),
  'radar.presented': () =>
    ok({
      tenants: [
        {
          tenant: 'p1',
          label: 'acme-prod',
          state: 'no-audit-read' as const,
          servedFrom: null,
          checkedAt: null,
          message: 'lacks audit:read',
          since: null,
          truncated: false,
          keys: []
        },
        {
          tenant: 'p2',
          label: 'globex-dev',
          state: 'no-audit-read' as const,
          servedFrom: null,
          checkedAt: null,
          message: 'lacks audit:read',
          since: null,
          truncated: false,
          keys: []
        }
      ]
    }),
  'radar.keys': () =>
    ok({
      category: 'expiring-7d',
      total: 3,
      offset: 0,
      truncated: false,
      items: [item('p1', 'k1', 'billing'), item('p1', 'k2', 'ledger'), item('p2', 'k3', 'reports')]
    }),
  'bulk.preview': () =>
    ok({
      total: 2,
      tenants: [
        { tenant: 'p1', label: 'acme-prod', environment: 'production' as const, production: true, count: 1, locked: false },
        { tenant: 'p2', label: 'globex-dev', environment: 'development' as const, production: false, count: 1, locked: false }
      ],
      productionLabels: ['acme-prod'],
      reasonRequired: false
    })
}

afterEach(() => {
  useRadarUi.setState({ open: false, category: null, tenant: null })
  useUi.setState({ dialog: null, returnFocus: null, focusAfterClose: null })
})

const TENANTS = [
  tenantView({ id: 'p1', label: 'acme-prod', environment: 'production' }),
  tenantView({ id: 'p2', label: 'globex-dev', environment: 'development' })
]

/** The radar as the frame shows it: its dialogs are hosted by app/Dialogs, like every dialog. */
function RadarWithDialogs() {
  return (
    <>
      <RadarView onShowKey={() => {}} />
      <Dialogs tenant={null} tenants={TENANTS} onSelect={() => {}} />
    </>
  )
}

describe('radar view', () => {
  it('shows each category with its total and per-tenant counts, how old each tenant is, and audit:read once', async () => {
    renderWithKeyDesk(<RadarWithDialogs />, { fakes })
    const table = await screen.findByRole('table', { name: 'Radar findings' })
    const row = within(table).getByRole('button', { name: 'Expiring within 7 days: 3 keys' }).closest('tr')!
    expect(row.textContent).toContain('acme-prod 2')
    expect(row.textContent).toContain('globex-dev 1')
    const ages = screen.getByRole('list', { name: 'Data age per tenant' })
    expect(within(ages).getAllByRole('listitem')[0]!.textContent).toMatch(/as of 1 hour ago/)
    expect(within(ages).getAllByRole('listitem')[1]!.textContent).toMatch(/never synced/)
    // Without audit:read: one sentence naming both tenants, not an error per tenant.
    const notes = await screen.findAllByRole('note')
    expect(notes).toHaveLength(1)
    expect(notes[0]!.textContent).toBe('Not checked for acme-prod, globex-dev: their admin keys lack audit:read.')
    expect(await screen.findByText('No revokes are scheduled.')).toBeTruthy()
    // The thresholds' dialog opens from the radar (app/Dialogs shows it; focus returns to this button).
    const settings = screen.getByRole('button', { name: 'Radar settings…' })
    settings.focus()
    fireEvent.click(settings)
    expect(useUi.getState().dialog).toEqual({ kind: 'radar-settings' })
    expect(useUi.getState().returnFocus).toBe(settings)
  })

  it("across tenants with a production one and reasons required: the journal's reason field, required, and main's refusal on it", async () => {
    const preview = (fakes['bulk.preview']() as { data: Record<string, unknown> }).data
    const view = renderWithKeyDesk(<RadarWithDialogs />, {
      fakes: {
        ...fakes,
        'bulk.preview': () => ok({ ...preview, reasonRequired: true }),
        'bulk.revokeAcross': () => ({
          ok: false,
          error: { code: 'VALIDATION', message: 'A reason is required.', fields: { reason: 'Say why: production.' } }
        })
      }
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Expiring within 7 days: 3 keys' }))
    const keys = await screen.findByRole('table', { name: 'Radar keys' })
    fireEvent.click(within(keys).getByRole('checkbox', { name: 'Select billing in acme-prod' }))
    fireEvent.click(screen.getByRole('button', { name: 'Revoke selected' }))
    const dialog = await screen.findByRole('dialog', { name: /^Revoke selected keys/ })
    const reason = await within(dialog).findByRole('textbox', { name: /^Reason/ })
    expect(reason.getAttribute('aria-required')).toBe('true')
    const submit = within(dialog).getByRole('button', { name: /^Revoke 2 keys in / }) as HTMLButtonElement
    fireEvent.change(within(dialog).getByLabelText('Type the number of keys to confirm'), { target: { value: '2' } })
    expect(submit.disabled).toBe(true)
    fireEvent.change(reason, { target: { value: '  ' } })
    expect(submit.disabled).toBe(true)
    fireEvent.change(reason, { target: { value: ' SEC-42 ' } })
    expect(submit.disabled).toBe(false)
    fireEvent.click(submit)
    await within(dialog).findByText('Say why: production.')
    expect(view.callsTo('bulk.revokeAcross')[0]).toMatchObject({ reason: 'SEC-42' })
  })

  it('a selection wholly within Open tenants is confirmed by the one button that names the tenant, nothing typed', async () => {
    const view = renderWithKeyDesk(<RadarWithDialogs />, {
      fakes: {
        ...fakes,
        'bulk.preview': () =>
          ok({
            total: 1,
            tenants: [{ tenant: 'p2', label: 'globex-dev', environment: 'development' as const, production: false, count: 1, locked: false }],
            productionLabels: [],
            reasonRequired: false
          }),
        'bulk.revokeAcross': () => ({ ok: false, error: { code: 'OFFLINE', message: 'stop here' } })
      }
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Expiring within 7 days: 3 keys' }))
    const keys = await screen.findByRole('table', { name: 'Radar keys' })
    fireEvent.click(within(keys).getByRole('checkbox', { name: 'Select reports in globex-dev' }))
    fireEvent.click(screen.getByRole('button', { name: 'Revoke selected' }))
    const dialog = await screen.findByRole('dialog', { name: /^Revoke selected keys in globex-dev/ })
    const submit = (await within(dialog).findByRole('button', { name: 'Revoke 1 key in globex-dev' })) as HTMLButtonElement
    expect(within(dialog).queryByLabelText('Type the number of keys to confirm')).toBeNull()
    expect(submit.disabled).toBe(false)
    fireEvent.click(submit)
    await waitFor(() => expect(view.callsTo('bulk.revokeAcross')).toHaveLength(1))
  })

  it('drills into a category and revokes a selection across tenants after the preview and the typed count', async () => {
    const revokeAcross = () =>
      ok({
        jobId: 'j1',
        tenant: null,
        tenants: ['p1', 'p2'],
        total: 2,
        revoked: 0,
        failed: 0,
        pending: 2,
        cancelled: false,
        finished: false,
        waitingUntil: null,
        waitingReason: null,
        perTenant: [],
        results: []
      })
    const view = renderWithKeyDesk(<RadarWithDialogs />, {
      fakes: {
        ...fakes,
        'bulk.revokeAcross': revokeAcross,
        'bulk.status': () =>
          ok({
            jobId: 'j1',
            tenant: null,
            tenants: ['p1', 'p2'],
            total: 2,
            revoked: 2,
            failed: 0,
            pending: 0,
            cancelled: false,
            finished: true,
            waitingUntil: null,
            waitingReason: null,
            perTenant: [],
            results: []
          })
      }
    })
    fireEvent.click(await screen.findByRole('button', { name: 'Expiring within 7 days: 3 keys' }))
    const keys = await screen.findByRole('table', { name: 'Radar keys' })
    // The narrowest expiry window only.
    expect(within(keys).getAllByRole('row')[1]!.textContent).toContain('Expiring within 7 days')
    expect(within(keys).getAllByRole('row')[1]!.textContent).not.toContain('30 days')
    fireEvent.click(within(keys).getByRole('checkbox', { name: 'Select billing in acme-prod' }))
    fireEvent.click(within(keys).getByRole('checkbox', { name: 'Select reports in globex-dev' }))
    expect(screen.getByText('2 keys selected')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Revoke selected' }))
    const dialog = await screen.findByRole('dialog', { name: /^Revoke selected keys/ })
    await within(dialog).findByText(/across 2 tenants/)
    expect(dialog.textContent).toContain('PRODUCTION tenants: acme-prod.')
    // The title says where (both tenants, production marked), and each key is listed under its tenant.
    expect(within(dialog).getByRole('heading', { level: 2 }).textContent).toBe('Revoke selected keys in 2 tenants Production Development')
    const perTenant = within(dialog).getByRole('list', { name: 'Keys per tenant' })
    expect(within(perTenant).getByRole('list', { name: 'acme-prod Production — 1 key' }).textContent).toContain('billing')
    expect(within(perTenant).getByRole('list', { name: 'globex-dev Development — 1 key' }).textContent).toContain('reports')
    expect(view.callsTo('bulk.preview')).toEqual([
      {
        items: [
          { tenant: 'p1', id: 'k1' },
          { tenant: 'p2', id: 'k3' }
        ]
      }
    ])
    const submit = within(dialog).getByRole('button', { name: 'Revoke 2 keys in acme-prod and globex-dev' }) as HTMLButtonElement
    expect(submit.disabled).toBe(true)
    fireEvent.change(within(dialog).getByLabelText('Type the number of keys to confirm'), { target: { value: '2' } })
    expect(submit.disabled).toBe(false)
    fireEvent.click(submit)
    await waitFor(() => expect(view.callsTo('bulk.revokeAcross')).toHaveLength(1))
    expect(view.callsTo('bulk.revokeAcross')[0]).toMatchObject({
      items: [
        { tenant: 'p1', id: 'k1' },
        { tenant: 'p2', id: 'k3' }
      ]
    })
  })
})

describe('sidebar badge', () => {
  it('is named by its count and tenant, shows the whole count, and opens the radar for its tenant', async () => {
    renderWithKeyDesk(
      <>
        <FindingsBadge tenant="p1" label="acme-prod" />
        <FindingsBadge tenant="p2" label="globex-dev" />
      </>,
      { fakes }
    )
    const badge = await screen.findByRole('button', { name: '3 findings in acme-prod' })
    expect(badge.textContent).toBe('3')
    // A tenant without findings has no badge.
    expect(screen.getAllByRole('button')).toHaveLength(1)
    fireEvent.click(badge)
    expect(useRadarUi.getState()).toMatchObject({ open: true, tenant: 'p1' })
  })
})

function ShortcutProbe() {
  useRadarShortcut()
  return <input aria-label="typing here" />
}

describe('g then r', () => {
  it('opens the radar, but not while typing nor after another key', () => {
    renderWithKeyDesk(<ShortcutProbe />)
    const box = screen.getByRole('textbox', { name: 'typing here' })
    fireEvent.keyDown(box, { key: 'g' })
    fireEvent.keyDown(box, { key: 'r' })
    expect(useRadarUi.getState().open).toBe(false)
    fireEvent.keyDown(window, { key: 'g' })
    fireEvent.keyDown(window, { key: 'x' })
    fireEvent.keyDown(window, { key: 'r' })
    expect(useRadarUi.getState().open).toBe(false)
    fireEvent.keyDown(window, { key: 'g' })
    fireEvent.keyDown(window, { key: 'r' })
    expect(useRadarUi.getState().open).toBe(true)
  })

  it('keeps only the narrowest expiry window of a key', () => {
    expect(shownFindings(['expiring-1d', 'expiring-7d', 'expiring-30d', 'privileged'])).toEqual(['expiring-1d', 'privileged'])
    expect(shownFindings(['expiring-30d', 'never-used'])).toEqual(['expiring-30d', 'never-used'])
  })
})

function ClickProbe() {
  useNotificationClicks()
  return null
}

describe('notification clicks', () => {
  it('open the radar filtered when the window gains focus after a click, never replaying a click from before it loaded', async () => {
    let click: unknown = { seq: 4, at: NOW, action: { kind: 'radar', category: 'expiring-30d' } }
    const view = renderWithKeyDesk(<ClickProbe />, { fakes: { 'notifications.lastClick': () => ok({ click }) } })
    await waitFor(() => expect(view.callsTo('notifications.lastClick')).toHaveLength(1))
    expect(useRadarUi.getState().open).toBe(false)
    click = { seq: 5, at: NOW, action: { kind: 'radar', category: 'expiring-7d', tenant: 'p1' } }
    fireEvent.focus(window)
    await waitFor(() => expect(useRadarUi.getState()).toMatchObject({ open: true, category: 'expiring-7d', tenant: 'p1' }))
  })
})

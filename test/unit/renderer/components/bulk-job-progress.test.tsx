// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { BulkJob } from '../../../../src/shared/contract'
import { BulkJobProgress } from '../../../../src/renderer/src/features/bulk/BulkJobProgress'
import { makeBulkJob } from '../../../fixtures/bulk-job'

afterEach(cleanup)

const across = makeBulkJob({
  jobId: 'j1',
  tenant: null,
  tenants: ['p1', 'p2'],
  total: 4,
  revoked: 1,
  failed: 1,
  cancelled: true,
  finished: true,
  results: [
    { tenant: 'p1', id: 'k1', state: 'revoked' },
    { tenant: 'p2', id: 'k2', state: 'skipped' },
    { tenant: 'p2', id: 'k3', state: 'failed', code: 'UPSTREAM', message: 'MeshQu had a problem (500).' },
    { tenant: 'p1', id: 'k4', state: 'pending' }
  ]
})
const names: Record<string, { name: string; preview: string | null }> = {
  k1: { name: 'billing', preview: 'mqu_test_...00k1' },
  k3: { name: 'reports', preview: null }
}
const labels: Record<string, string> = { p1: 'acme-prod', p2: 'globex-dev' }

describe('BulkJobProgress (both bulk dialogs)', () => {
  it('lists settled keys failures first, with their tenant, and the id where the key is unknown', () => {
    render(<BulkJobProgress job={across} keyOf={(r) => names[r.id]} tenantOf={(t) => labels[t]!} />)
    const lines = within(screen.getByRole('list', { name: 'Results' }))
      .getAllByRole('listitem')
      .map((li) => [li.className, li.textContent])
    expect(lines).toEqual([
      ['result-failed', 'failed reports in globex-dev — MeshQu had a problem (500).'],
      ['result-skipped', 'skipped k2 in globex-dev'],
      ['result-revoked', 'revoked billing mqu_test_...00k1 in acme-prod']
    ])
  })

  it('says how many were revoked, what failed or was not sent, and how it ended, in a two-colour bar', () => {
    render(
      <BulkJobProgress job={across} keyOf={(r) => names[r.id]}>
        <p>pacing goes here</p>
      </BulkJobProgress>
    )
    expect(screen.getAllByRole('status').map((p) => p.textContent)).toEqual(['1 of 4 revoked', 'Finished with keys left unrevoked; see below.'])
    expect(screen.getByText('1 failed, 1 not sent, cancelled')).toBeTruthy()
    expect(screen.getByText('pacing goes here')).toBeTruthy()
    // One tenant: no "in <tenant>" on each line.
    expect(screen.getByRole('list', { name: 'Results' }).textContent).not.toContain(' in ')
    const bar = screen.getByRole('progressbar', { name: 'Revocation progress' })
    expect(bar.getAttribute('aria-valuetext')).toBe('1 revoked, 1 failed, of 4')
    expect((bar.querySelector('.bulk-progress-failed') as HTMLElement).style.width).toBe('25%')
  })

  it('shows neither results nor an ending while nothing has settled', () => {
    const running: BulkJob = {
      ...across,
      revoked: 0,
      failed: 0,
      pending: 4,
      cancelled: false,
      finished: false,
      results: across.results.map((r) => ({ ...r, state: 'pending' as const }))
    }
    render(<BulkJobProgress job={running} keyOf={() => undefined} />)
    expect(screen.getAllByRole('status').map((p) => p.textContent)).toEqual(['0 of 4 revoked'])
    expect(screen.queryByRole('list', { name: 'Results' })).toBeNull()
  })
})

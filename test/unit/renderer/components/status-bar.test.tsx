// @vitest-environment jsdom
import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { StatusBar } from '../../../../src/renderer/src/app/StatusBar'
import type { Headroom } from '../../../../src/shared/ratelimit'
import { renderWithKeyDesk } from './render'

const headroom = (resetAt: number) =>
  ({
    tenant: 'p1',
    current: { limit: 1000, remaining: 1000, resetAt, observedAt: resetAt - 60_000 },
    preAuth: null,
    pacing: { waitingUntil: null, reason: null },
    history: []
  }) as unknown as Headroom

describe('the status bar headroom meter (defect 14)', () => {
  it('does not show "1000 / 1000 window reset" while offline', () => {
    const past = Date.now() - 120_000
    renderWithKeyDesk(<StatusBar headroom={headroom(past)} meta={{ servedFrom: 'store', syncedAt: past } as never} version="t" />)
    const meter = screen.getByRole('meter', { name: 'Rate-limit headroom' })
    expect(meter.getAttribute('aria-valuetext')).toBe('headroom unknown while offline')
    expect(screen.queryByText('window reset')).toBeNull()
    expect(screen.queryByText(/1000 \/ 1000/)).toBeNull()
  })
  it('shows the live window when MeshQu answered', () => {
    renderWithKeyDesk(
      <StatusBar headroom={headroom(Date.now() + 30_000)} meta={{ servedFrom: 'network', syncedAt: Date.now() } as never} version="t" />
    )
    expect(screen.getByRole('meter', { name: 'Rate-limit headroom' }).getAttribute('aria-valuetext')).toBe('1000 of 1000 requests left')
  })
  it('names the headroom button with its visible label', () => {
    renderWithKeyDesk(<StatusBar version="t" />)
    expect(screen.getByRole('button', { name: /^Headroom…/ })).toBeTruthy()
  })
})

// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Time } from '../../../../src/renderer/src/ui/Time'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('Time', () => {
  const now = Date.UTC(2026, 0, 15, 12, 0, 0)

  it('never shows a past event (synced, counted, created) in the future when the clocks differ by seconds', () => {
    vi.useFakeTimers({ now, toFake: ['Date'] })
    render(
      <p>
        Synced <Time value={now + 8_000} />
      </p>
    )
    expect(screen.getByText(/Synced/).textContent).toBe('Synced just now')
  })

  it('keeps the future for a value that may lie ahead (an expiry), and the exact UTC time on hover', () => {
    vi.useFakeTimers({ now, toFake: ['Date'] })
    render(
      <p>
        Expires <Time value={now + 5 * 86_400_000} ahead />
      </p>
    )
    expect(screen.getByText(/Expires/).textContent).toBe('Expires in 5 days')
    expect(screen.getByText('in 5 days').getAttribute('title')).toBe('2026-01-20 12:00:00 UTC')
  })
})

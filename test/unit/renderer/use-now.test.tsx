// @vitest-environment jsdom
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useNow } from '../../../src/renderer/src/lib/use-now'

afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

function Reader({ every, seen }: { every: number; seen: number[] }) {
  seen.push(useNow(every))
  return null
}

describe('useNow', () => {
  it('gives a newcomer the time of its first render, rendering it once (not again when it subscribes)', () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date', 'setInterval', 'clearInterval'] })
    const first: number[] = []
    render(<Reader every={30_000} seen={first} />)
    expect(first).toEqual([1_000_000])
    // Later, between two ticks: a newcomer must not read the last tick's time...
    vi.setSystemTime(1_012_000)
    const second: number[] = []
    render(<Reader every={30_000} seen={second} />)
    // ...and is rendered once: the clock is not moved under it (nor under every earlier reader).
    expect(second).toEqual([1_012_000])
    expect(first).toEqual([1_000_000])
    // At the tick every reader moves on together.
    act(() => vi.advanceTimersByTime(30_000))
    expect(first.at(-1)).toBe(Date.now())
    expect(second.at(-1)).toBe(Date.now())
  })

  it('never goes back in time for a newcomer when the shared clock is older', () => {
    vi.useFakeTimers({ now: 5_000_000, toFake: ['Date', 'setInterval', 'clearInterval'] })
    const a: number[] = []
    const { unmount } = render(<Reader every={60_000} seen={a} />)
    unmount()
    vi.setSystemTime(5_500_000)
    const b: number[] = []
    render(<Reader every={60_000} seen={b} />)
    expect(b).toEqual([5_500_000])
  })
})

import { describe, expect, it } from 'vitest'
import { createVerifications } from '../../../src/main/core/tenants/verifications'

describe('verifications in flight', () => {
  it('a cancel aborts the run and stops its writes; after proceed() a cancel is too late', () => {
    const v = createVerifications()
    const stopped = v.begin('a')
    expect(v.cancel('a')).toBe(true)
    expect(stopped.signal.aborted).toBe(true)
    expect(stopped.proceed()).toBe(false)

    const written = v.begin('b')
    expect(written.proceed()).toBe(true)
    expect(v.cancel('b')).toBe(false)
    expect(written.signal.aborted).toBe(false)
  })

  it('a cancel that comes before its run starts it cancelled, for a while only', () => {
    let t = 0
    const v = createVerifications({ now: () => t, earlyCancelMs: 1_000 })
    expect(v.cancel('early')).toBe(false)
    expect(v.begin('early').signal.aborted).toBe(true)
    // Used once: the same id later is not cancelled again.
    v.cancel('stale')
    t = 2_000
    expect(v.begin('stale').signal.aborted).toBe(false)
  })

  it('a run without an id cannot be cancelled; an id in use is refused; end() forgets it', () => {
    const v = createVerifications()
    expect(v.begin(undefined).proceed()).toBe(true)
    const run = v.begin('x')
    expect(() => v.begin('x')).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    run.end()
    expect(v.cancel('x')).toBe(false)
    expect(run.signal.aborted).toBe(false)
  })

  it('cancelAll stops every run (shutting down)', () => {
    const v = createVerifications()
    const runs = [v.begin('p'), v.begin('q')]
    v.cancelAll()
    expect(runs.map((r) => r.proceed())).toEqual([false, false])
  })
})

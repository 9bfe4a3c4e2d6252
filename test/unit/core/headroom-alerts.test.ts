import { describe, expect, it } from 'vitest'
import { parseRateLimit } from '../../../src/main/core/ratelimit/headers'
import { createHeadroomAlerts } from '../../../src/main/core/ratelimit/alerts'

const T0 = 1_750_000_000_000

function setup() {
  const notes: string[] = []
  const alerts = createHeadroomAlerts({
    notifier: { notify: (title) => void notes.push(title) },
    threshold: () => 0.1,
    labelOf: async () => 'acme-prod'
  })
  return { notes, alerts }
}

/** A response's headers as a server that sends seconds until the reset would write them. */
function reading(at: number, remaining: number, secondsLeft: number) {
  const h = new Headers({ 'rate-limit-limit': '1000', 'rate-limit-remaining': String(remaining), 'rate-limit-reset': String(secondsLeft) })
  return parseRateLimit(h, at, 'post-auth')!
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('headroom alerts', () => {
  it('raises one notification per window when the reset is sent as seconds until the reset', async () => {
    const { notes, alerts } = setup()
    // A bulk revoke under the threshold: 50 responses, 300 ms apart, in one 60 s window that
    // began at T0; each reading's reset lands on a slightly different millisecond.
    for (let i = 0; i < 50; i++) {
      const at = T0 + 20_000 + i * 300 + (i % 7)
      alerts.check('t1', reading(at, 90 - i, Math.ceil((T0 + 60_000 - at) / 1000)))
    }
    await settle()
    expect(notes).toEqual(['Rate-limit headroom low: acme-prod'])

    // The next window, still low: one more, and only one.
    for (let i = 0; i < 20; i++) {
      const at = T0 + 61_000 + i * 250
      alerts.check('t1', reading(at, 50 - i, Math.ceil((T0 + 120_000 - at) / 1000)))
    }
    await settle()
    expect(notes).toHaveLength(2)
  })

  it('counts each tenant on its own, and epoch resets as before', async () => {
    const { notes, alerts } = setup()
    const epoch = (at: number, remaining: number) =>
      parseRateLimit(
        new Headers({ 'rate-limit-limit': '1000', 'rate-limit-remaining': String(remaining), 'rate-limit-reset': String((T0 + 60_000) / 1000) }),
        at,
        'post-auth'
      )!
    alerts.check('t1', epoch(T0 + 1000, 50))
    alerts.check('t1', epoch(T0 + 2000, 40))
    alerts.check('t2', epoch(T0 + 2000, 40))
    alerts.check('t1', epoch(T0 + 3000, 900)) // above the threshold: nothing
    await settle()
    expect(notes).toHaveLength(2)
    expect(alerts.alerted('t1')).toBe(true)
    alerts.forget('t1')
    expect(alerts.alerted('t1')).toBe(false)
  })
})

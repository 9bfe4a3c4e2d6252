import { describe, expect, it, vi } from 'vitest'
import { createEventBus } from '../../../src/main/core/events/bus'
import { silentLogger } from '../../../src/main/core/log'
import { forwardEvents } from '../../../src/main/electron/ipc'
import { EVENTS_CHANNEL } from '../../../src/shared/events'

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe("main's events to the window", () => {
  it('go to our window on keydesk:events only while it shows our own page, never to a destroyed or navigated one', async () => {
    const bus = createEventBus({ log: silentLogger, flushMs: 1 })
    const contents = { send: vi.fn(), getURL: vi.fn(() => 'file:///app/index.html'), isDestroyed: vi.fn(() => false) }
    let window: typeof contents | null = contents
    const stop = forwardEvents(
      { events: bus },
      () => window,
      (url) => url.startsWith('file:///app/'),
      silentLogger
    )

    bus.emit({ type: 'notice', seq: 1 })
    await wait(10)
    expect(contents.send).toHaveBeenCalledWith(EVENTS_CHANNEL, { events: [{ type: 'notice', seq: 1 }] })

    contents.getURL.mockReturnValue('https://elsewhere.example/')
    bus.emit({ type: 'notice', seq: 2 })
    await wait(10)
    contents.getURL.mockReturnValue('file:///app/index.html')
    contents.isDestroyed.mockReturnValue(true)
    bus.emit({ type: 'notice', seq: 3 })
    await wait(10)
    window = null
    bus.emit({ type: 'notice', seq: 4 })
    await wait(10)
    expect(contents.send).toHaveBeenCalledTimes(1)

    contents.isDestroyed.mockReturnValue(false)
    window = contents
    stop()
    bus.emit({ type: 'notice', seq: 5 })
    await wait(10)
    expect(contents.send).toHaveBeenCalledTimes(1)
  })
})

import { describe, expect, it } from 'vitest'
import { createRevealSlots } from '../../../src/main/core/secrets/reveal-slots'
import { CoreError } from '../../../src/main/core/errors'

function fakeTimers() {
  const pending: { fn: () => void; at: number; id: number }[] = []
  let t = 0
  let seq = 0
  return {
    now: () => t,
    setTimer: (fn: () => void, ms: number) => {
      const id = ++seq
      pending.push({ fn, at: t + ms, id })
      return id
    },
    clearTimer: (h: unknown) => {
      const i = pending.findIndex((p) => p.id === h)
      if (i >= 0) pending.splice(i, 1)
    },
    advance(ms: number) {
      t += ms
      for (const p of [...pending].filter((p) => p.at <= t)) {
        pending.splice(pending.indexOf(p), 1)
        p.fn()
      }
    }
  }
}

function fakeClipboard() {
  let text = ''
  return { writeText: (t: string) => void (text = t), readText: () => text }
}

describe('reveal slots', () => {
  it('reveals the plaintext until discarded, then refuses', () => {
    const slots = createRevealSlots()
    const { revealId } = slots.put('secret-value-1')
    expect(slots.reveal(revealId)).toBe('secret-value-1')
    expect(slots.discard(revealId)).toBe(true)
    expect(() => slots.reveal(revealId)).toThrow(CoreError)
    expect(slots.discard(revealId)).toBe(false)
  })

  it('expires after its time to live', () => {
    const timers = fakeTimers()
    const slots = createRevealSlots({ ttlMs: 1000, ...timers })
    const { revealId, expiresAt } = slots.put('secret-value-2')
    expect(expiresAt).toBe(1000)
    timers.advance(999)
    expect(slots.reveal(revealId)).toBe('secret-value-2')
    timers.advance(1)
    expect(() => slots.reveal(revealId)).toThrow(/no longer be shown/)
  })

  it('clears the clipboard after the delay only if it still holds the key', () => {
    const timers = fakeTimers()
    const slots = createRevealSlots({ clearAfterMs: 30_000, ...timers })
    const clip = fakeClipboard()
    const a = slots.put('secret-a')
    expect(slots.copy(a.revealId, clip).clearsAt).toBe(30_000)
    expect(clip.readText()).toBe('secret-a')
    timers.advance(30_000)
    expect(clip.readText()).toBe('')

    const b = slots.put('secret-b')
    slots.copy(b.revealId, clip)
    clip.writeText('something the operator copied')
    timers.advance(30_000)
    expect(clip.readText()).toBe('something the operator copied')
  })

  it('dispose wipes slots and clears a clipboard still holding a key', async () => {
    const timers = fakeTimers()
    const slots = createRevealSlots(timers)
    const clip = fakeClipboard()
    const a = slots.put('secret-c')
    slots.copy(a.revealId, clip)
    await slots.dispose()
    expect(clip.readText()).toBe('')
    expect(() => slots.reveal(a.revealId)).toThrow(CoreError)
  })

  it('copy without a clipboard is a clear error, not a crash', () => {
    const slots = createRevealSlots()
    const a = slots.put('secret-d')
    expect(() => slots.copy(a.revealId, undefined)).toThrow(/clipboard/)
  })
})

describe('with an asynchronous clipboard (Electron 45)', () => {
  it('clears after the delay when it still holds the key', async () => {
    const timers = fakeTimers()
    const slots = createRevealSlots({ clearAfterMs: 30_000, ...timers })
    let text = ''
    const clip = { writeText: (t: string) => void (text = t), readText: async () => text }
    slots.copy(slots.put('secret-e').revealId, clip)
    timers.advance(30_000)
    await new Promise((r) => setImmediate(r))
    expect(text).toBe('')
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FRAMED_TYPE, frameReply, RAW_MIN_CHARS, unframeReply } from '../../../src/shared/wire'
import { makeKey } from '../../fixtures/keys'

/** What the page gets: the body's bytes decoded as UTF-8, as fetch's text() does. */
const overHttp = (body: string) => new TextDecoder().decode(new TextEncoder().encode(body))

describe('the web preview reply body', () => {
  it('is plain JSON when no string is long', () => {
    const reply = { ok: true, data: { keys: [makeKey('a')] }, meta: { servedFrom: 'local' } }
    expect(frameReply(reply)).toEqual({ type: 'application/json', body: JSON.stringify(reply) })
  })

  it('carries a list as JSON text unescaped, and the page gets the same reply back', () => {
    const keys = Array.from({ length: 400 }, (_, i) => makeKey(`k${i}`, { name: `say "hi" \\ ${i} ключ 🔑 \u2028` }))
    const reply = { ok: true, data: { keysJson: JSON.stringify(keys), syncedAt: 5 }, meta: { servedFrom: 'local', syncedAt: 5 } }
    expect(reply.data.keysJson.length).toBeGreaterThanOrEqual(RAW_MIN_CHARS)
    const { type, body } = frameReply(reply)
    expect(type).toBe(FRAMED_TYPE)
    // The text itself, not an escaped copy of it.
    expect(body.endsWith(reply.data.keysJson)).toBe(true)
    const back = unframeReply(overHttp(body)) as typeof reply
    expect(back).toEqual(reply)
    expect(JSON.parse(back.data.keysJson)).toEqual(keys)
  })

  it('round-trips any reply, long strings anywhere', () => {
    // Well-formed text (what MeshQu's JSON and the store hold): no lone surrogate halves.
    const long = fc.string({ unit: 'grapheme', minLength: RAW_MIN_CHARS, maxLength: RAW_MIN_CHARS + 50 })
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'grapheme' }), long, fc.integer(), fc.constant(null)), { maxLength: 4 }), (values) => {
        const reply = { ok: true, data: { values, nested: { first: values[0] ?? null } }, meta: { servedFrom: 'local' } }
        const { type, body } = frameReply(reply)
        const text = overHttp(body)
        expect(type === FRAMED_TYPE ? unframeReply(text) : JSON.parse(text)).toEqual(reply)
      }),
      { numRuns: 30 }
    )
  })
})

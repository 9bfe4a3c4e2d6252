import { describe, expect, it } from 'vitest'
import { extractKeys } from '../../../src/main/core/triage/extract'
import { looksLikeWholeKey } from '../../../src/shared/triage'

const body = 'Ab3'.repeat(11)

describe('leak triage finds MeshQu keys in text', () => {
  it('finds each prefix once, in order, and not previews or look-alikes', () => {
    const text = [
      `a=mqu_live_${body}`,
      `"mqu_test_${body}x",`,
      `Bearer mqk_${body}`,
      `again mqu_live_${body}`,
      'preview mqu_live_...x7Kf',
      `other xmqu_live_${body} sk_live_${body} mqu_prod_${body} mqu_live_short`
    ].join('\n')
    expect(extractKeys(text)).toEqual({ keys: [`mqu_live_${body}`, `mqu_test_${body}x`, `mqk_${body}`], more: 0 })
  })

  it('counts keys past the bound instead of matching them', () => {
    const keys = Array.from({ length: 5 }, (_, i) => `mqk_${body}${i}`)
    expect(extractKeys(keys.join(' '), 3)).toEqual({ keys: keys.slice(0, 3), more: 2 })
  })

  it('a whole key alone is recognised (Search all offers triage); text around it is not', () => {
    expect(looksLikeWholeKey(`  mqu_test_${body} `)).toBe(true)
    expect(looksLikeWholeKey(`key mqu_test_${body}`)).toBe(false)
    expect(looksLikeWholeKey('mqu_test_...x7Kf')).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { fuzzyFilter, fuzzyScore } from '../../../src/renderer/src/features/tenants/fuzzy'

describe('quick switcher fuzzy match', () => {
  it('matches characters in order and rejects the rest', () => {
    expect(fuzzyScore('apr', 'acme-prod')).not.toBeNull()
    expect(fuzzyScore('pra', 'acme-prod')).toBeNull()
    expect(fuzzyScore('', 'anything')).toBe(0)
  })
  it('ranks word starts and runs first', () => {
    const tenants = ['globex-staging', 'acme-prod', 'acme-staging', 'prodigy-dev']
    expect(fuzzyFilter(tenants, 'prod', (t) => t)[0]).toBe('prodigy-dev')
    expect(fuzzyFilter(tenants, 'acst', (t) => t)).toEqual(['acme-staging'])
    expect(fuzzyFilter(tenants, 'a p', (t) => t)[0]).toBe('acme-prod')
  })
})

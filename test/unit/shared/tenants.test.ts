import { describe, expect, it } from 'vitest'
import { BaseUrlSchema } from '../../../src/shared/tenants'

describe('BaseUrlSchema', () => {
  it('keeps the API root: trailing slashes and a trailing /v1 (KeyDesk adds it) go', () => {
    expect(BaseUrlSchema.parse('https://api.meshqu.com/')).toBe('https://api.meshqu.com')
    expect(BaseUrlSchema.parse('https://api.meshqu.com/v1/')).toBe('https://api.meshqu.com')
    expect(BaseUrlSchema.parse('https://api.meshqu.com/V1')).toBe('https://api.meshqu.com')
    expect(BaseUrlSchema.parse('https://gw.example.com/meshqu/v1')).toBe('https://gw.example.com/meshqu')
    // Only a whole last segment "v1": other paths are the operator's.
    expect(BaseUrlSchema.parse('https://gw.example.com/apiv1')).toBe('https://gw.example.com/apiv1')
  })
})

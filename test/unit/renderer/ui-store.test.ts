import { describe, expect, it } from 'vitest'
import { useUi } from '../../../src/renderer/src/lib/store'

describe('switching tenant', () => {
  it('starts the next tenant unfiltered: search text, status and scope filters all clear', () => {
    useUi.getState().setActiveTenant('a')
    useUi.getState().setFilter({ text: 'billing', statuses: ['revoked'], scopes: ['audit:read'] })
    useUi.getState().setActiveTenant('b')
    expect(useUi.getState().filter).toEqual({ text: '', statuses: [], scopes: [] })
  })
})

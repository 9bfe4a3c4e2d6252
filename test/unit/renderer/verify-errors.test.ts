import { describe, expect, it } from 'vitest'
import { explainError } from '../../../src/renderer/src/lib/errors'

describe('a 404 while verifying a new tenant', () => {
  it('points at the base URL, not at a list that does not exist yet', () => {
    const view = explainError({ code: 'NOT_FOUND', message: 'MeshQu answered 404.' }, { operation: 'verify' })
    expect(view.text).toContain('base URL')
    expect(view.text).not.toContain('Refresh the list')
    expect(view.action?.kind).toBe('fix-fields')
    // Elsewhere a 404 still means the list changed.
    expect(explainError({ code: 'NOT_FOUND', message: 'MeshQu answered 404.' }).action?.kind).toBe('refresh')
  })
})

import { describe, expect, it } from 'vitest'
import { DEFAULT_LEVELS, levelOf, lowers, stricter } from '../../../src/shared/tenants'
import { confirmMode } from '../../../src/renderer/src/features/protection/confirm-mode'
import { writesLocked } from '../../../src/renderer/src/features/protection/queries'
import { countdown } from '../../../src/renderer/src/features/protection/words'

describe('protection levels', () => {
  it('default by environment, unless the tenant has its own', () => {
    expect(DEFAULT_LEVELS).toEqual({ production: 'read-only', staging: 'protected', development: 'open', sandbox: 'open' })
    expect(levelOf({ environment: 'production' })).toBe('read-only')
    expect(levelOf({ environment: 'production', level: 'protected' })).toBe('protected')
    expect(levelOf({ environment: 'sandbox', level: undefined })).toBe('open')
  })

  it('order: open < protected < read-only', () => {
    expect(lowers('read-only', 'protected')).toBe(true)
    expect(lowers('protected', 'open')).toBe(true)
    expect(lowers('open', 'read-only')).toBe(false)
    expect(lowers('protected', 'protected')).toBe(false)
    expect(stricter('open', 'read-only')).toBe('read-only')
    expect(stricter('protected', 'open')).toBe('protected')
  })

  it('open tenants confirm with a button, the others type it back; locked means read-only without an unlock', () => {
    expect([confirmMode('open'), confirmMode('protected'), confirmMode('read-only')]).toEqual(['button', 'typed', 'typed'])
    const unlock = { tenant: 'a', label: 'a', reason: 'r', startedAt: 0, until: 1, idleUntil: 1 }
    expect(writesLocked({ id: 'a', level: 'read-only' }, [])).toBe(true)
    expect(writesLocked({ id: 'a', level: 'read-only' }, [unlock])).toBe(false)
    // An unlock never carries over to another tenant.
    expect(writesLocked({ id: 'b', level: 'read-only' }, [unlock])).toBe(true)
    expect(writesLocked({ id: 'b', level: 'protected' }, [])).toBe(false)
  })

  it('counts down in minutes and seconds, never below zero', () => {
    expect([countdown(300_000), countdown(61_001), countdown(-5)]).toEqual(['5:00', '1:02', '0:00'])
  })
})

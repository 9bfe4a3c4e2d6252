import type { ProtectionLevel } from '../../../../shared/tenants'

/**
 * How a destructive write is confirmed at a tenant's level: typed back (the key's name, or the
 * count) on protected and unlocked read-only tenants, one explicit button naming key and tenant
 * on open ones. One function, so every write dialog asks the same rule.
 */
export type ConfirmMode = 'typed' | 'button'
export const confirmMode = (level: ProtectionLevel): ConfirmMode => (level === 'open' ? 'button' : 'typed')

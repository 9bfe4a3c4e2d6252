import { z } from 'zod'

/** The ten MeshQu scopes [DOC]. No scope implies another. */
export const SCOPES = [
  'policies:read',
  'policies:write',
  'decisions:evaluate',
  'decisions:read',
  'decisions:write',
  'alerts:read',
  'alerts:write',
  'audit:read',
  'audit:admin',
  'api-keys:admin'
] as const

export const ScopeSchema = z.enum(SCOPES)
export type Scope = z.infer<typeof ScopeSchema>

export const isKnownScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s)

export const SCOPE_AREAS = ['policies', 'decisions', 'alerts', 'audit', 'api-keys'] as const
export type ScopeArea = (typeof SCOPE_AREAS)[number]

export interface ScopeInfo {
  scope: Scope
  area: ScopeArea
  description: string
  /** Scopes whose holder can widen their own reach; the create dialog warns on them. */
  privileged: boolean
}

export const SCOPE_INFO: Readonly<Record<Scope, ScopeInfo>> = {
  'policies:read': { scope: 'policies:read', area: 'policies', description: 'List and read policies, versions, groups', privileged: false },
  'policies:write': { scope: 'policies:write', area: 'policies', description: 'Create, update, deactivate policies and groups', privileged: false },
  'decisions:evaluate': { scope: 'decisions:evaluate', area: 'decisions', description: 'Evaluate decisions (dry-run)', privileged: false },
  'decisions:read': { scope: 'decisions:read', area: 'decisions', description: 'List and read recorded decisions', privileged: false },
  'decisions:write': { scope: 'decisions:write', area: 'decisions', description: 'Record decisions (evaluate + persist)', privileged: false },
  'alerts:read': { scope: 'alerts:read', area: 'alerts', description: 'List and read alerts', privileged: false },
  'alerts:write': { scope: 'alerts:write', area: 'alerts', description: 'Acknowledge alerts, manage webhook subscriptions', privileged: false },
  'audit:read': { scope: 'audit:read', area: 'audit', description: 'Read audit events', privileged: false },
  'audit:admin': { scope: 'audit:admin', area: 'audit', description: 'Verify audit log integrity', privileged: true },
  'api-keys:admin': { scope: 'api-keys:admin', area: 'api-keys', description: 'Create, list and revoke API keys', privileged: true }
}

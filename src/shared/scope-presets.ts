import { z } from 'zod'
import type { Scope } from './scopes'

/**
 * The scope presets of the create dialog, least privilege first. Shared because the fleet policy
 * names the presets an environment allows, and main checks a create against their scopes.
 */
export const SCOPE_PRESET_IDS = ['evaluate', 'record', 'monitor', 'audit', 'policy'] as const
export const ScopePresetIdSchema = z.enum(SCOPE_PRESET_IDS)
export type ScopePresetId = z.infer<typeof ScopePresetIdSchema>

export interface ScopePreset {
  id: ScopePresetId
  label: string
  scopes: Scope[]
  description: string
}

export const SCOPE_PRESETS: readonly ScopePreset[] = [
  { id: 'evaluate', label: 'Evaluate only', scopes: ['decisions:evaluate'], description: 'A service that asks MeshQu for decisions (dry-run).' },
  { id: 'record', label: 'Record decisions', scopes: ['decisions:evaluate', 'decisions:write'], description: 'Evaluates and persists decisions.' },
  {
    id: 'monitor',
    label: 'Read-only monitoring',
    scopes: ['policies:read', 'decisions:read', 'alerts:read', 'audit:read'],
    description: 'Dashboards and monitoring: reads everything, changes nothing.'
  },
  { id: 'audit', label: 'Audit reader', scopes: ['audit:read'], description: 'Reads the audit trail.' },
  { id: 'policy', label: 'Policy author', scopes: ['policies:read', 'policies:write'], description: 'Manages policies and policy groups.' }
]

/** Whether the scopes are exactly the preset's (order and repeats aside). */
export function matchesPreset(preset: ScopePreset, scopes: readonly string[]): boolean {
  const set = new Set(scopes)
  return preset.scopes.length === set.size && preset.scopes.every((s) => set.has(s))
}

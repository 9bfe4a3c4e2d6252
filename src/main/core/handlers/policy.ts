import type { FleetPolicyService } from '../policy/fleet-policy'
import type { Handlers } from '../router'

/** The fleet policy: read, change, export and import (policy/fleet-policy.ts). */
export function policyHandlers(d: {
  policy: FleetPolicyService
}): Pick<Handlers, 'policy.get' | 'policy.update' | 'policy.export' | 'policy.previewImport' | 'policy.import'> {
  return {
    'policy.get': async () => ({ data: await d.policy.get() }),
    'policy.update': async ({ policy }) => ({ data: await d.policy.update(policy) }),
    'policy.export': async () => ({ data: await d.policy.exportJson() }),
    'policy.previewImport': async ({ text }) => ({ data: await d.policy.previewImport(text) }),
    'policy.import': async ({ text }) => ({ data: await d.policy.importJson(text) })
  }
}

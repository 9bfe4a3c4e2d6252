import { policyLimits } from '../../../../shared/policy'
import type { Environment } from '../../../../shared/tenants'
import { usePolicy } from './queries'

/** The tenant's policy limits, shown before the operator types (nothing when the environment has none). */
export function PolicyLimits({ environment, id }: { environment: Environment; id?: string }) {
  const policy = usePolicy().data
  const text = policy ? policyLimits(policy[environment], environment) : null
  if (!text) return null
  return (
    <p className="callout" id={id} style={{ margin: 0 }}>
      {text}
    </p>
  )
}

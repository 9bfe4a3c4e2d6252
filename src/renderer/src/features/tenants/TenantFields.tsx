import { forwardRef, type SelectHTMLAttributes } from 'react'
import { ENVIRONMENT_COLORS, ENVIRONMENTS, type Environment } from '../../../../shared/tenants'
import { environmentLabel } from '../../ui/EnvBadge'

/** The environment picker of the tenant forms (registered with react-hook-form). */
export const EnvironmentSelect = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function EnvironmentSelect(props, ref) {
  return (
    <select ref={ref} {...props}>
      {ENVIRONMENTS.map((env) => (
        <option key={env} value={env}>
          {environmentLabel(env)}
        </option>
      ))}
    </select>
  )
})

export const defaultColor = (env: Environment) => ENVIRONMENT_COLORS[env]

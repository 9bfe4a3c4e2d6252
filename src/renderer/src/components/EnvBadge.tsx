import type { Environment } from '../../../shared/tenants'

const LABEL: Record<Environment, string> = { production: 'Production', staging: 'Staging', development: 'Development', sandbox: 'Sandbox' }

/** Color is never the only signal: the badge always carries the word too. */
export function EnvBadge({ env, compact = false }: { env: Environment; compact?: boolean }) {
  return <span className={`env-badge env-${env} ${compact ? 'env-badge-compact' : ''}`}>{LABEL[env]}</span>
}

export const environmentLabel = (env: Environment) => LABEL[env]

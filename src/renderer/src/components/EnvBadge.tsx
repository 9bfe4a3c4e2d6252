import type { Environment } from '../../../shared/tenants'

const LABEL: Record<Environment, string> = { production: 'Production', staging: 'Staging', development: 'Development', sandbox: 'Sandbox' }

/** Color is never the only signal: the badge always carries the word too. */
export function EnvBadge({ env }: { env: Environment }) {
  return <span className={`env-badge env-${env}`}>{LABEL[env]}</span>
}

export const environmentLabel = (env: Environment) => LABEL[env]

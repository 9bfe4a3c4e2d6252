import type { Environment, TenantView } from '../../../shared/tenants'

const LABEL: Record<Environment, string> = { production: 'Production', staging: 'Staging', development: 'Development', sandbox: 'Sandbox' }

/** Color is never the only signal: the badge always carries the word too. */
export function EnvBadge({ env, compact = false }: { env: Environment; compact?: boolean }) {
  return <span className={`env-badge env-${env} ${compact ? 'env-badge-compact' : ''}`}>{LABEL[env]}</span>
}

export const environmentLabel = (env: Environment) => LABEL[env]

/** "acme-prod [Production] PRODUCTION": how destructive dialogs name the tenant they act on. */
export function TenantName({ tenant }: { tenant: Pick<TenantView, 'label' | 'environment'> }) {
  return (
    <>
      <strong>{tenant.label}</strong> <EnvBadge env={tenant.environment} />
      {tenant.environment === 'production' && (
        <>
          {' '}
          <strong className="env-production">PRODUCTION</strong>
        </>
      )}
    </>
  )
}

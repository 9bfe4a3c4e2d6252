import type { RadarSummary } from '../../../../shared/contract'
import type { RadarCategory } from '../../../../shared/radar'
import { EnvBadge } from '../../ui/EnvBadge'
import { Freshness } from '../../ui/Freshness'
import { useIsStale } from '../../lib/sync'
import { RadarSchedules } from './RadarSchedules'
import { CATEGORY_LABEL, plural } from './words'

/** Every category with its total and its count per tenant (a category opens its keys), the scheduled revokes, each tenant's data age. */
export function RadarOverview({
  summary,
  tenant,
  onDrill,
  onShowAll
}: {
  summary: RadarSummary
  /** Only this tenant's findings (a sidebar badge's tenant); null = the whole fleet. */
  tenant: string | null
  onDrill: (c: RadarCategory) => void
  onShowAll: () => void
}) {
  const stale = useIsStale()
  const labelOf = new Map(summary.tenants.map((t) => [t.id, t.label]))
  const tenantLabel = tenant ? (labelOf.get(tenant) ?? null) : null
  const categories = tenant
    ? summary.categories.map((c) => {
        const own = c.tenants.filter((t) => t.tenant === tenant)
        return { ...c, tenants: own, total: own.reduce((n, t) => n + t.count, 0) }
      })
    : summary.categories
  return (
    <>
      {tenantLabel && (
        <p className="radar-filter">
          Findings in <strong>{tenantLabel}</strong> only.{' '}
          <button type="button" className="link-button" onClick={onShowAll}>
            Show every tenant
          </button>
        </p>
      )}
      <table className="radar-table" aria-label={tenantLabel ? `Radar findings in ${tenantLabel}` : 'Radar findings'}>
        <thead>
          <tr>
            <th scope="col">Finding</th>
            <th scope="col" className="num">
              Keys
            </th>
            <th scope="col">Per tenant</th>
          </tr>
        </thead>
        <tbody>
          {categories.map((c) => (
            <tr key={c.category} className={c.total ? '' : 'radar-zero'}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => onDrill(c.category)}
                  aria-label={`${CATEGORY_LABEL[c.category]}: ${plural(c.total, 'key', 'keys')}`}
                >
                  {CATEGORY_LABEL[c.category]}
                </button>
              </th>
              <td className="num">{c.total.toLocaleString()}</td>
              <td className="radar-per-tenant">
                {c.tenants.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  c.tenants.map((t) => (
                    <span key={t.tenant} className="radar-chip">
                      {labelOf.get(t.tenant) ?? t.tenant} <strong>{t.count.toLocaleString()}</strong>
                    </span>
                  ))
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <RadarSchedules tenants={summary.tenants} />
      <section className="radar-section" aria-labelledby="radar-ages">
        <h2 id="radar-ages" className="radar-h2">
          Data per tenant
        </h2>
        <p className="muted radar-hint">The radar reads KeyDesk's store, so it works offline; each tenant's keys are as of its last sync.</p>
        <ul className="radar-ages" aria-label="Data age per tenant">
          {summary.tenants.map((t) => (
            <li key={t.id}>
              <strong>{t.label}</strong> <EnvBadge env={t.environment} compact /> <span>{plural(t.findings, 'finding', 'findings')}</span>{' '}
              <span className="policy-compliance">
                policy {t.compliance.within.toLocaleString()} / {plural(t.compliance.live, 'live key', 'live keys')} within
              </span>{' '}
              <span className="muted">
                {t.syncedAt === null ? (
                  'never synced: Sync all now, or open the tenant, to read its keys'
                ) : (
                  <Freshness syncedAt={t.syncedAt} stale={stale(t.syncedAt)} />
                )}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}

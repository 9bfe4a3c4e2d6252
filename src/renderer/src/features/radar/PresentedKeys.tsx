import { Time } from '../../ui/Time'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { useRadarPresented } from './queries'
import { plural } from './words'

/**
 * Revoked or expired keys that services still present (MeshQu's auth.denied events): the service
 * nobody switched over after a rotation. Tenants whose admin key lacks audit:read are named once,
 * together, not as errors.
 */
export function PresentedKeys() {
  const q = useRadarPresented()
  const tenants = q.data?.tenants ?? []
  const withKeys = tenants.filter((t) => t.state === 'ok' && t.keys.length > 0)
  const noAudit = tenants.filter((t) => t.state === 'no-audit-read')
  const unavailable = tenants.filter((t) => t.state === 'unavailable')
  return (
    <section className="radar-section" aria-labelledby="radar-presented">
      <h2 id="radar-presented" className="radar-h2">
        Still presented
      </h2>
      <p className="muted radar-hint">Revoked or expired keys that services kept presenting in the last 30 days.</p>
      {q.isPending && <p role="status">Reading MeshQu's audit log…</p>}
      <ErrorCallout error={q.error} />
      {q.data && withKeys.length === 0 && <p role="status">No revoked or expired key was presented.</p>}
      {withKeys.length > 0 && (
        <table className="radar-table" aria-label="Still-presented keys">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Tenant</th>
              <th scope="col">Status</th>
              <th scope="col">Presented</th>
              <th scope="col">Last time</th>
            </tr>
          </thead>
          <tbody>
            {withKeys.flatMap((t) =>
              t.keys.map((k) => (
                <tr key={`${t.tenant}-${k.keyId}`}>
                  <td>
                    {k.name ?? k.keyId} {k.preview && <code className="muted">{k.preview}</code>}
                    {k.leaked && <span className="chip danger-text"> leaked</span>}
                  </td>
                  <td>
                    {t.label}
                    {t.servedFrom === 'store' && (
                      <span className="muted">
                        {' '}
                        (as of <Time value={t.checkedAt} />)
                      </span>
                    )}
                  </td>
                  <td>{k.status}</td>
                  <td>
                    {plural(k.count, 'time', 'times')}
                    {t.truncated && ' or more'}
                  </td>
                  <td>
                    <Time value={k.lastAt} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      )}
      {noAudit.length > 0 && (
        <p className="muted" role="note">
          Not checked for {noAudit.map((t) => t.label).join(', ')}: {noAudit.length === 1 ? 'its admin key lacks' : 'their admin keys lack'}{' '}
          audit:read.
        </p>
      )}
      {unavailable.length > 0 && (
        <p className="muted" role="note">
          Could not ask MeshQu for {unavailable.map((t) => t.label).join(', ')}; nothing stored yet.
        </p>
      )}
    </section>
  )
}

import { Time } from '../../ui/Time'
import { useTenants } from '../tenants'
import { useAwayReport, useDismissAway } from './queries'

/**
 * "While you were away": revokes that came due while KeyDesk was closed and ran at this start,
 * with the tenants they were in. Shown on every main view (keys, radar) until dismissed; then main
 * stops reporting them (schedule.dismissAway). While main is still running them (`pending`) the
 * report is asked again and says so.
 */
export function AwayNotice() {
  const away = useAwayReport()
  const dismiss = useDismissAway()
  const tenants = useTenants().data?.tenants ?? []
  const labelOf = (id: string) => tenants.find((t) => t.id === id)?.label ?? id
  const results = away.data?.results ?? []
  const pending = away.data?.pending ?? false
  if (results.length === 0) return null
  const failed = results.filter((r) => r.state === 'failed').length
  const involved = [...new Set(results.map((r) => r.tenant))].map(labelOf)
  return (
    <div className={`banner ${failed ? 'banner-warn' : 'banner-info'} away-notice`} role="status" aria-label="While you were away">
      <div>
        <strong>While you were away</strong>, {results.length === 1 ? 'a scheduled revoke came' : `${results.length} scheduled revokes came`} due in{' '}
        {involved.length === 1 ? 'tenant' : 'tenants'} <strong>{involved.join(', ')}</strong>
        {pending ? '; KeyDesk is still running them' : ''}:
        <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
          {results.map((r) => (
            <li key={r.id}>
              {r.keyName} {r.keyPreview && <code>{r.keyPreview}</code>} in {labelOf(r.tenant)}:{' '}
              {r.state === 'done' ? 'revoked' : r.state === 'failed' ? `failed — ${r.lastError ?? r.lastErrorCode}` : r.state} (due{' '}
              <Time value={r.dueAt} />)
            </li>
          ))}
        </ul>
      </div>
      <button type="button" className="button small" onClick={() => dismiss.mutate(results.map((r) => r.id))} disabled={dismiss.isPending || pending}>
        Dismiss
      </button>
    </div>
  )
}

import { appErrorOf } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { Time } from '../../ui/Time'
import { useKeyJournal } from './queries'
import { ACTION_LABEL, outcomeText } from './words'

/** The detail panel's "KeyDesk journal": what this KeyDesk did to the key, and why. Read from the local store. */
export function KeyJournal({ tenantId, keyId }: { tenantId: string; keyId: string }) {
  const journal = useKeyJournal(tenantId, keyId)
  const entries = journal.data?.entries ?? []
  return (
    <>
      <h3>KeyDesk journal</h3>
      {journal.isPending ? (
        <p className="muted">Loading…</p>
      ) : journal.isError ? (
        <p className="muted">{describeError(appErrorOf(journal.error))}</p>
      ) : entries.length === 0 ? (
        <p className="muted">KeyDesk has made no changes to this key.</p>
      ) : (
        <ol className="audit-list" aria-label="Journal entries for this key">
          {entries.map((e) => (
            <li key={e.seq}>
              {ACTION_LABEL[e.action]} <Time value={e.at} />
              {e.outcome !== 'ok' && <strong> — {outcomeText(e)}</strong>}
              {e.reason && <div className="muted">Reason: {e.reason}</div>}
              {e.detail && <div className="muted">{e.detail}</div>}
            </li>
          ))}
        </ol>
      )}
    </>
  )
}

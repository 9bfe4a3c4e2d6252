import { useState } from 'react'
import { JOURNAL_ACTIONS, type JournalAction, type JournalVerify } from '../../../../shared/journal'
import type { TenantView } from '../../../../shared/tenants'
import { appErrorOf } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { useUi } from '../../lib/store'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { Time } from '../../ui/Time'
import { useSaveFile } from '../keys/queries'
import { useExportJournal, useJournal, useVerifyJournal, type JournalFilter } from './queries'
import { ReasonSetting } from './ReasonSetting'
import { ACTION_LABEL, outcomeText } from './words'
import { downloadText } from '../../lib/download'
import { CloseFooter } from '../../ui/CloseFooter'

const entriesWord = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`

/** A date input's value (local midnight) as epoch ms; `end` takes the next midnight (the filter's `to` is exclusive). */
const dayStart = (v: string, end = false) => (v ? new Date(`${v}T00:00`).getTime() + (end ? 86_400_000 : 0) : undefined)

/**
 * Everything KeyDesk wrote, newest first, filtered by tenant, action and day; exported as CSV or
 * JSON; with the hash chain's check. Append-only: nothing here edits an entry.
 */
export function JournalView({ tenants }: { tenants: TenantView[] }) {
  const close = () => useUi.getState().closeDialog()
  const [tenant, setTenant] = useState('')
  const [action, setAction] = useState<JournalAction | ''>('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const filter: JournalFilter = {
    tenant: tenant || undefined,
    actions: action ? [action] : undefined,
    from: dayStart(from),
    to: dayStart(to, true)
  }
  const journal = useJournal(filter)
  const verify = useVerifyJournal()
  const exportJournal = useExportJournal()
  const saveFile = useSaveFile()
  const [note, setNote] = useState<string | null>(null)
  const entries = journal.data?.pages.flatMap((p) => p.entries) ?? []

  const save = async (format: 'csv' | 'json') => {
    setNote(null)
    const out = await exportJournal.mutateAsync({ format, ...filter }).catch(() => null)
    if (!out) return
    try {
      const saved = await saveFile.mutateAsync({ suggestedName: out.suggestedName, mimeType: out.mimeType, content: out.content })
      setNote(saved.saved ? `Saved ${entriesWord(out.count)} to ${saved.path}` : null)
    } catch (err) {
      const error = appErrorOf(err)
      if (error.code !== 'READ_ONLY') return setNote(describeError(error))
      downloadText(out.suggestedName, out.mimeType, out.content)
      setNote(`Downloaded ${entriesWord(out.count)} as ${out.suggestedName}`)
    }
  }

  const result = verify.data
  return (
    <Dialog title="Journal" onClose={close} wide tall>
      <div className="form journal-form">
        <div className="journal-filters" role="group" aria-label="Filter the journal">
          <label className="field">
            <span>Tenant</span>
            <select value={tenant} onChange={(e) => setTenant(e.target.value)}>
              <option value="">All tenants</option>
              {tenants.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Action</span>
            <select value={action} onChange={(e) => setAction(e.target.value as JournalAction | '')}>
              <option value="">All actions</option>
              {JOURNAL_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {ACTION_LABEL[a]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>From</span>
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="field">
            <span>To</span>
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
        </div>
        <div className="journal-tools">
          <button type="button" className="button ghost" onClick={() => void save('csv')} disabled={exportJournal.isPending}>
            Export CSV
          </button>
          <button type="button" className="button ghost" onClick={() => void save('json')} disabled={exportJournal.isPending}>
            Export JSON
          </button>
          <button type="button" className="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
            {verify.isPending ? 'Checking…' : 'Check integrity'}
          </button>
          {note && <span role="status">{note}</span>}
        </div>
        {result && (
          <p className={`callout ${result.intact ? '' : 'callout-danger'}`} role={result.intact ? 'status' : 'alert'}>
            {result.intact ? `The journal's chain is intact (${result.checked} entries checked).` : <VerifyProblems result={result} />}
            {result.headHash && (
              <span className="muted">
                {' '}
                Newest hash <code className="wrap">{result.headHash.slice(0, 16)}…</code> — note it (or keep an export) to notice later removals.
              </span>
            )}
          </p>
        )}
        <ErrorCallout error={verify.error ?? exportJournal.error} />
        <div className="journal-scroll" tabIndex={0} aria-label="Journal entries">
          {journal.isPending ? (
            <p className="muted" role="status">
              Loading the journal…
            </p>
          ) : journal.isError ? (
            <ErrorCallout error={journal.error} actions={{ retry: () => void journal.refetch() }} />
          ) : entries.length === 0 ? (
            <p className="muted" role="status">
              No entries{tenant || action || from || to ? ' match these filters' : ': KeyDesk has made no changes yet'}.
            </p>
          ) : (
            <table className="journal-table" aria-label="Journal">
              <colgroup>
                <col style={{ width: '12%' }} />
                <col style={{ width: '13%' }} />
                <col style={{ width: '30%' }} />
                <col style={{ width: '19%' }} />
                <col style={{ width: '10%' }} />
                <col style={{ width: '16%' }} />
              </colgroup>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Tenant</th>
                  <th scope="col">Action</th>
                  <th scope="col">Key</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.seq}>
                    <td>
                      <Time value={e.at} />
                    </td>
                    <td>{e.tenantLabel}</td>
                    <td>
                      {ACTION_LABEL[e.action]}
                      {e.detail && <div className="muted">{e.detail}</div>}
                    </td>
                    <td>
                      {e.keyName ?? '—'} {e.keyPreview && <code className="muted">{e.keyPreview}</code>}
                    </td>
                    <td>{outcomeText(e)}</td>
                    <td>{e.reason ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {journal.hasNextPage && (
            <button type="button" className="button ghost" onClick={() => void journal.fetchNextPage()} disabled={journal.isFetchingNextPage}>
              {journal.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
            </button>
          )}
        </div>
        <ReasonSetting />
        <CloseFooter onClose={close} />
      </div>
    </Dialog>
  )
}

const PROBLEM_WORDS = { hash: 'edited', link: 'an entry before it was deleted or inserted' } as const

/** Every broken entry (not only the first) and what the keychain's anchor found about the file. */
function VerifyProblems({ result }: { result: JournalVerify }) {
  return (
    <>
      {result.brokenCount > 0 && (
        <>
          {`The journal's chain is broken at ${result.brokenCount} ${result.brokenCount === 1 ? 'entry' : 'entries'} (${result.checked} checked): `}
          {result.broken.map((b) => `entry ${b.seq} (${PROBLEM_WORDS[b.problem]})`).join(', ')}
          {result.broken.length < result.brokenCount ? `, and ${result.brokenCount - result.broken.length} more` : ''}. Those entries cannot be
          trusted.
        </>
      )}
      {result.incidents.map((i) => (
        <span key={i.id} className="verify-incident">
          {' '}
          {i.detail}
        </span>
      ))}
      {result.incidents.length > 0 && ' Acknowledge it in the notice at the top once you have looked.'}
    </>
  )
}

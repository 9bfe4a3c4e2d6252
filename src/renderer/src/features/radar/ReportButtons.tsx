import { useState } from 'react'
import { appErrorOf } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { useCredentialReport } from './queries'
import { downloadText } from '../../lib/save-file'

type Selection = { tenant: string; keyId: string }[]

/**
 * The credential report of every stored key of every tenant, or of the drill-down's selection.
 * Electron saves it through the save dialog; where main has none (READ_ONLY) the text is asked
 * for again and downloaded.
 */
export function ReportButtons({ selection }: { selection: Selection | null }) {
  const report = useCredentialReport()
  const [note, setNote] = useState<string | null>(null)
  const scope = selection ? `${selection.length} selected` : 'all tenants'
  const run = async (format: 'csv' | 'json') => {
    const base = { format, selection: selection ?? undefined }
    setNote(null)
    try {
      const r = await report.mutateAsync({ ...base, save: true })
      setNote(r.saved ? `Saved the credential report (${r.rows} keys) to ${r.path}` : 'Not saved.')
    } catch (err) {
      const error = appErrorOf(err)
      if (error.code !== 'READ_ONLY') return setNote(describeError(error))
      try {
        const r = await report.mutateAsync({ ...base, save: false })
        if (r.content !== null) downloadText(r.suggestedName, format === 'csv' ? 'text/csv' : 'application/json', r.content)
        setNote(`Downloaded the credential report (${r.rows} keys) as ${r.suggestedName}`)
      } catch (again) {
        setNote(describeError(appErrorOf(again)))
      }
    }
  }
  return (
    <div className="export" role="group" aria-label={`Credential report, ${scope}`}>
      <button type="button" className="button ghost" onClick={() => void run('csv')} disabled={report.isPending}>
        Credential report (CSV)
      </button>
      <button type="button" className="button ghost" onClick={() => void run('json')} disabled={report.isPending}>
        Credential report (JSON)
      </button>
      <span className="sr-only" role="status">
        {report.isPending ? 'Preparing the credential report…' : note}
      </span>
    </div>
  )
}

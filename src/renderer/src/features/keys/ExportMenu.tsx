import { useState } from 'react'
import { keysToCsv, keysToJson } from '../../../../shared/export'
import type { ApiKey } from '../../../../shared/meshqu'
import type { TenantView } from '../../../../shared/tenants'
import { appErrorOf } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { exportFileName } from './export-name'
import { downloadText, useSaveFile } from '../../lib/save-file'

/** `waiting`: only the list's first rows are in; an export of the view waits for the rest. */
export function ExportMenu({ tenant, keys, waiting = false }: { tenant: TenantView; keys: ApiKey[]; waiting?: boolean }) {
  const [note, setNote] = useState<string | null>(null)
  const saveFile = useSaveFile()
  const save = async (format: 'csv' | 'json') => {
    const now = Date.now()
    const name = exportFileName(tenant.label, format, now)
    const mimeType = format === 'csv' ? 'text/csv' : 'application/json'
    const content = format === 'csv' ? keysToCsv(keys, now) : keysToJson(keys, now, { tenant: tenant.label, exportedAt: new Date(now).toISOString() })
    try {
      const saved = await saveFile.mutateAsync({ suggestedName: name, mimeType, content })
      setNote(saved.saved ? `Saved ${keys.length} keys to ${saved.path}` : null)
    } catch (err) {
      const error = appErrorOf(err)
      if (error.code !== 'READ_ONLY') return setNote(describeError(error))
      downloadText(name, mimeType, content)
      setNote(`Downloaded ${keys.length} keys as ${name}`)
    }
  }
  return (
    <div className="export" role="group" aria-label="Export the current view">
      <button type="button" className="button ghost" onClick={() => void save('csv')} disabled={waiting || !keys.length}>
        Export CSV
      </button>
      <button type="button" className="button ghost" onClick={() => void save('json')} disabled={waiting || !keys.length}>
        Export JSON
      </button>
      {note && (
        <span className="sr-only" role="status">
          {note}
        </span>
      )}
    </div>
  )
}

import { useQuery } from '@tanstack/react-query'
import { useDeferredValue, useState } from 'react'
import { keyStatus } from '../../../shared/key-view'
import { Dialog } from '../components/Dialog'
import { EnvBadge } from '../components/EnvBadge'
import { StatusChip } from '../components/KeysTable'
import { Time } from '../components/Time'
import { api, appErrorOf, unwrap } from '../lib/api'
import { describeError } from '../lib/errors'
import { useUi } from '../lib/store'
import { useNow } from '../lib/use-now'

/** Which tenant does this preview belong to? Searches every tenant's last known list (offline copies). */
export function SearchAllDialog({ onSelect }: { onSelect: (id: string) => void }) {
  const close = useUi((s) => s.closeDialog)
  const selectKey = useUi((s) => s.selectKey)
  const [text, setText] = useState('')
  const q = useDeferredValue(text.trim())
  const search = useQuery({
    queryKey: ['search-all', q],
    enabled: q.length >= 2,
    queryFn: async () => unwrap(await api().keys.searchAll({ text: q })),
    staleTime: 10_000
  })
  const now = useNow(60_000)
  return (
    <Dialog title="Search all tenants" onClose={close} wide>
      <input type="search" aria-label="Search all tenants" placeholder="Name, preview (…x7Kf) or id" value={text} onChange={(e) => setText(e.target.value)} autoFocus />
      <p className="hint muted">Searches the last list KeyDesk saw of every tenant, so it works offline too.</p>
      {search.isError && <p role="alert">{describeError(appErrorOf(search.error))}</p>}
      {search.data && (
        <>
          <p role="status" className="muted">
            {search.data.hits.length} match{search.data.hits.length === 1 ? '' : 'es'} in {search.data.searchedTenants} tenant
            {search.data.searchedTenants === 1 ? '' : 's'}
            {search.data.truncated ? ' (first 200 shown)' : ''}
          </p>
          <table aria-label="Matches across tenants" className="plain-table">
            <thead>
              <tr>
                <th>Tenant</th>
                <th>Name</th>
                <th>Key</th>
                <th>Status</th>
                <th>As of</th>
              </tr>
            </thead>
            <tbody>
              {search.data.hits.map((h) => (
                <tr key={`${h.tenant.id}-${h.key.id}`}>
                  <td>
                    <button
                      type="button"
                      className="button ghost"
                      onClick={() => {
                        close()
                        onSelect(h.tenant.id)
                        selectKey(h.key.id)
                      }}
                    >
                      {h.tenant.label}
                    </button>{' '}
                    <EnvBadge env={h.tenant.environment} />
                  </td>
                  <td>{h.key.name}</td>
                  <td>
                    <code>{h.key.key_preview}</code>
                  </td>
                  <td>
                    <StatusChip status={keyStatus(h.key, now)} />
                  </td>
                  <td>
                    <Time value={h.syncedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Dialog>
  )
}

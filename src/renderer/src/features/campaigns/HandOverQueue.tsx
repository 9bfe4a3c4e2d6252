import { useState } from 'react'
import type { TenantView } from '../../../../shared/tenants'
import { Dialog } from '../../ui/Dialog'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { Time } from '../../ui/Time'
import { CopyOnceDialog } from '../copy-once'
import { useCampaignsUi } from './campaign-store'
import { useCampaign, useCloseQueue, useHandOver } from './queries'
import { plural } from './words'

/**
 * The hand-over queue: each replacement shown once in the copy-once dialog, one key at a time,
 * with its tenant, the old key's name and where it was last seen used. "I have stored this key"
 * hands it over (main starts watching); closing without it ends the queue, and the keys not
 * handed over stay listed in the Campaigns view, to be created again.
 */
export function HandOverQueue({ campaignId, tenants }: { campaignId: string; tenants: readonly TenantView[] }) {
  const ui = useCampaignsUi()
  const campaign = useCampaign(campaignId, true)
  const handOver = useHandOver()
  const closeQueue = useCloseQueue()
  // Keys handed over here, so one is never shown twice while the list catches up.
  const [done, setDone] = useState<ReadonlySet<number>>(new Set())
  const end = () => {
    closeQueue.mutate({ campaignId }, { onSettled: () => ui.closeQueue() })
  }

  const keys = campaign.data?.keys ?? []
  const total = keys.length
  const next = keys.find((k) => k.state === 'created' && k.revealId !== null && !done.has(k.id))
  const tenant = next ? tenants.find((t) => t.id === next.tenant) : undefined
  if (next && tenant) {
    const position = keys.filter((k) => k.handedOverAt !== null || done.has(k.id)).length + 1
    return (
      <CopyOnceDialog
        key={next.id}
        title={`Hand over new key ${position} of ${total}`}
        tenant={tenant}
        keyName={next.replacementName}
        preview={next.newPreview ?? ''}
        revealId={next.revealId!}
        details={
          <p style={{ margin: 0 }} className="muted">
            Replaces <strong>{next.oldName}</strong>
            {next.oldLastUsedAt !== null ? (
              <>
                , last used <Time value={new Date(next.oldLastUsedAt).toISOString()} />
              </>
            ) : (
              ', never used'
            )}
            .
          </p>
        }
        onDone={(stored) => {
          if (!stored) return end()
          setDone((d) => new Set([...d, next.id]))
          handOver.mutate({ campaignId, keyRowId: next.id })
        }}
      />
    )
  }

  const pending = keys.filter((k) => k.state === 'planned' || k.state === 'creating').length
  const notHandedOver = keys.filter((k) => k.state === 'created' && !done.has(k.id) && k.revealId === null).length
  return (
    <Dialog title="Hand over new keys" onClose={end}>
      {ui.skipped.length > 0 && (
        <div className="callout callout-warn">
          <p style={{ margin: 0 }}>Left out:</p>
          <ul>
            {ui.skipped.map((s, i) => (
              <li key={i}>{s.why}</li>
            ))}
          </ul>
        </div>
      )}
      <ErrorCallout error={campaign.error ?? handOver.error} />
      {pending > 0 ? (
        <p role="status">
          Creating replacements, paced by each tenant's headroom: {plural(total - pending, 'key', 'keys')} of {total} so far…
        </p>
      ) : (
        <p role="status">
          {notHandedOver > 0
            ? `${plural(notHandedOver, 'new key', 'new keys')} not handed over yet.`
            : `Every new key is handed over. KeyDesk now waits for traffic to stop on the old keys.`}
        </p>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button"
          onClick={() => {
            end()
            ui.openView()
          }}
        >
          Show campaigns
        </button>
        <button type="button" className="button primary" onClick={end}>
          Done
        </button>
      </div>
    </Dialog>
  )
}

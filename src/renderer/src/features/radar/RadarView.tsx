import { useEffect, useMemo, useRef, useState } from 'react'
import type { RadarKeyItem } from '../../../../shared/contract'
import { useUi } from '../../lib/store'
import { useSyncAll, useSyncStatus } from '../../lib/sync'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { Time } from '../../ui/Time'
import { PresentedKeys } from './PresentedKeys'
import { useRadarKeys, useRadarSummary } from './queries'
import { isSelectable, itemKey, RadarKeysTable, type KeyAction } from './RadarKeysTable'
import { RadarOverview } from './RadarOverview'
import { useRadarUi } from './radar-store'
import { ReportButtons } from './ReportButtons'
import { AllowNotifications } from './AllowNotifications'
import { AwayNotice } from '../schedule'
import './radar.css'
import { CATEGORY_LABEL, plural } from './words'
import type { OutsideKind, RadarCategory } from '../../../../shared/radar'
import { useUnlockList, writesLocked } from '../protection'
import { useTenants } from '../tenants'
import { CampaignFindings, useCampaignsUi } from '../campaigns'

/** The drill-downs of changes made outside KeyDesk, whose rows are acknowledged rather than rotated. */
const OUTSIDE_DRILL: Partial<Record<RadarCategory, OutsideKind>> = { 'created-outside': 'created', 'revoked-outside': 'revoked' }

const NONE: Set<string> = new Set()

export function RadarView({ onShowKey }: { onShowKey: (tenant: string, keyId: string) => void }) {
  const summary = useRadarSummary()
  const { category, tenant, drill } = useRadarUi()
  const tenants = useMemo(() => (tenant ? [tenant] : null), [tenant])
  const keys = useRadarKeys(category, tenants)
  // The selection belongs to one drill-down: another category or tenant starts with none.
  const drillId = `${category ?? ''}|${tenant ?? ''}`
  const [selection, setSelection] = useState<{ drillId: string; keys: Set<string> }>({ drillId, keys: new Set() })
  const checked = selection.drillId === drillId ? selection.keys : NONE
  const setChecked = (fn: Set<string> | ((s: Set<string>) => Set<string>)) =>
    setSelection((old) => ({ drillId, keys: typeof fn === 'function' ? fn(old.drillId === drillId ? old.keys : NONE) : fn }))
  const outsideKind = category ? (OUTSIDE_DRILL[category] ?? null) : null
  const tenantViews = useTenants().data?.tenants
  const unlocks = useUnlockList()
  // Rows of locked read-only tenants offer the emergency path instead: Unlock and revoke.
  const locked = useMemo(() => new Set((tenantViews ?? []).filter((t) => writesLocked(t, unlocks)).map((t) => t.id)), [tenantViews, unlocks])
  const heading = useRef<HTMLHeadingElement>(null)
  // The cross-tenant revoke is done with its selection when its dialog closes, however it closed.
  const acrossOpen = useUi((s) => s.dialog?.kind === 'revoke-across')
  const wasOpen = useRef(false)
  useEffect(() => {
    if (wasOpen.current && !acrossOpen) setSelection({ drillId, keys: new Set() })
    wasOpen.current = acrossOpen
  }, [acrossOpen, drillId])

  // A new drill-down moves focus to its heading, for keyboard and screen-reader users.
  useEffect(() => {
    if (category) heading.current?.focus()
  }, [category, tenant])

  const items = keys.data?.items ?? []
  const byKey = new Map(items.map((i) => [itemKey(i), i]))
  const selected = [...checked].map((k) => byKey.get(k)).filter((i): i is RadarKeyItem => i !== undefined)
  const toggle = (i: RadarKeyItem) =>
    setChecked((s) => {
      const next = new Set(s)
      if (!next.delete(itemKey(i))) next.add(itemKey(i))
      return next
    })
  const toggleAll = () => {
    const selectable = items.filter(isSelectable)
    setChecked((s) => (selectable.every((i) => s.has(itemKey(i))) ? new Set() : new Set(selectable.map(itemKey))))
  }
  const act = (i: RadarKeyItem, action: KeyAction) => {
    if (action === 'open') return onShowKey(i.tenant.id, i.keyId)
    if (action === 'unlock-revoke') {
      useUi.getState().openDialog({
        kind: 'unlock-revoke',
        tenantId: i.tenant.id,
        keyId: i.keyId,
        keyName: i.key?.name ?? i.keyId,
        preview: i.key?.key_preview ?? null
      })
      return
    }
    if (action === 'acknowledge') {
      if (outsideKind) useUi.getState().openDialog({ kind: 'acknowledge-outside', item: i, change: outsideKind })
      return
    }
    // On the key's own tenant, the one shown stays: the dialog's write tells the radar (fleetStoreChanged).
    const kind = action === 'schedule' ? 'schedule-revoke' : action
    useUi.getState().openDialog({ kind, tenantId: i.tenant.id, keyId: i.keyId })
  }
  const syncAll = useSyncAll()
  const syncing = useSyncStatus().data?.running ?? false
  const tenantLabel = tenant ? (summary.data?.tenants.find((t) => t.id === tenant)?.label ?? tenant) : null

  return (
    <section className="radar" aria-labelledby="radar-title">
      <AwayNotice />
      <header className="radar-head">
        <h1 id="radar-title">Radar</h1>
        {summary.data && (
          <span className="muted">
            counted <Time value={summary.data.generatedAt} /> from KeyDesk's store
          </span>
        )}
        <AllowNotifications />
        <button type="button" className="button ghost" onClick={() => syncAll.mutate()} disabled={syncAll.isPending || syncing}>
          {syncing ? 'Syncing…' : 'Sync all now'}
        </button>
        <button type="button" className="button ghost" onClick={() => useUi.getState().openDialog({ kind: 'triage' })}>
          Whose key is this?
        </button>
        <button type="button" className="button ghost" onClick={() => useUi.getState().openDialog({ kind: 'radar-settings' })}>
          Radar settings…
        </button>
        <button type="button" className="button ghost" onClick={() => useCampaignsUi.getState().openView()}>
          Campaigns
        </button>
        <ReportButtons selection={category && selected.length ? selected.map((i) => ({ tenant: i.tenant.id, keyId: i.keyId })) : null} />
      </header>
      <div className="radar-body">
        {summary.isPending && <p role="status">Counting findings…</p>}
        <ErrorCallout error={summary.error} />
        {summary.data && summary.data.tenants.length === 0 && <p role="status">No tenants yet: add one, or try the sandbox.</p>}
        {summary.data && !category && (
          <RadarOverview summary={summary.data} tenant={tenant} onDrill={(c) => drill(c, tenant)} onShowAll={() => drill(null)} />
        )}
        {category && (
          <>
            <nav className="radar-crumbs" aria-label="Radar">
              <button type="button" className="link-button" onClick={() => drill(null, tenant)}>
                ← All findings
              </button>
            </nav>
            <h2 className="radar-h2" ref={heading} tabIndex={-1}>
              {CATEGORY_LABEL[category]}
              {tenantLabel && <span className="muted"> in {tenantLabel}</span>}
              {keys.data && <span className="muted"> · {plural(keys.data.total, 'key', 'keys')}</span>}
            </h2>
            {tenantLabel && (
              <button type="button" className="link-button" onClick={() => drill(category, null)}>
                Show every tenant
              </button>
            )}
            <div className="radar-toolbar" role="toolbar" aria-label="Selected keys">
              <span role="status">{selected.length ? `${plural(selected.length, 'key', 'keys')} selected` : 'No keys selected'}</span>
              <button
                type="button"
                className="button danger"
                disabled={!selected.length}
                onClick={() =>
                  // The selection is cleared when it closes, so this button is disabled then: focus goes to the list's heading.
                  useUi.getState().openDialog(
                    {
                      kind: 'revoke-across',
                      items: selected.map((i) => ({
                        tenant: i.tenant.id,
                        tenantLabel: i.tenant.label,
                        id: i.keyId,
                        name: i.key?.name ?? i.keyId,
                        preview: i.key?.key_preview ?? null
                      }))
                    },
                    { returnFocus: heading.current }
                  )
                }
              >
                Revoke selected
              </button>
              <button
                type="button"
                className="button"
                disabled={!selected.length || outsideKind !== null}
                onClick={(e) =>
                  useCampaignsUi.getState().rotate(
                    selected.map((i) => ({
                      tenant: i.tenant.id,
                      tenantLabel: i.tenant.label,
                      production: i.tenant.environment === 'production',
                      keyId: i.keyId,
                      name: i.key?.name ?? i.keyId
                    })),
                    e.currentTarget
                  )
                }
              >
                Rotate selected…
              </button>
            </div>
            {keys.isPending && <p role="status">Reading keys…</p>}
            <ErrorCallout error={keys.error} />
            {keys.data && items.length === 0 && <p role="status">No keys in this category.</p>}
            {items.length > 0 && (
              <RadarKeysTable
                items={items}
                checked={checked}
                onToggle={toggle}
                onToggleAll={toggleAll}
                onAction={act}
                outside={outsideKind}
                locked={locked}
              />
            )}
            {keys.data?.truncated && <p className="muted">Showing the first {items.length.toLocaleString()}; narrow by tenant to see the rest.</p>}
          </>
        )}
        {!category && <CampaignFindings />}
        <PresentedKeys />
      </div>
    </section>
  )
}

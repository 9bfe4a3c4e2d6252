import { useEffect, useMemo, useRef, useState } from 'react'
import type { RadarKeyItem } from '../../../../shared/contract'
import { useUi } from '../../lib/store'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { Time } from '../../ui/Time'
import { useKeys } from '../keys/queries'
import { PresentedKeys } from './PresentedKeys'
import { useRadarKeys, useRadarSummary } from './queries'
import { RadarBulkDialog, type AcrossItem } from './RadarBulkDialog'
import { isSelectable, itemKey, RadarKeysTable, type KeyAction } from './RadarKeysTable'
import { RadarOverview } from './RadarOverview'
import { useRadarUi } from './radar-store'
import { ReportButtons } from './ReportButtons'
import { AllowNotifications } from './AllowNotifications'
import { AwayNotice } from '../schedule/AwayNotice'
import './radar.css'
import { CATEGORY_LABEL, plural } from './words'
import { UnlockAndRevokeDialog, useUnlockList, writesLocked, type UnlockRevokeTarget } from '../protection'
import { useTenants } from '../tenants/queries'

/**
 * Rotate and revoke reuse the keys feature's dialogs, which act on the active tenant's list: the
 * tenant is switched first (the radar stays open) and the dialog opens once that list is there.
 */
function OpenWhenListed({ tenant, keyId, kind, onDone }: { tenant: string; keyId: string; kind: 'rotate' | 'revoke'; onDone: () => void }) {
  const keys = useKeys(tenant)
  const ready = keys.data !== undefined
  const opened = useRef(false)
  useEffect(() => {
    if (!ready || opened.current) return
    opened.current = true
    useUi.getState().openDialog({ kind, keyId })
    onDone()
  }, [ready, kind, keyId, onDone])
  return null
}

const NONE: Set<string> = new Set()

export function RadarView({
  onSwitchTenant,
  onShowKey
}: {
  onSwitchTenant: (id: string) => void
  onShowKey: (tenant: string, keyId: string) => void
}) {
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
  const [pending, setPending] = useState<{ tenant: string; keyId: string; kind: 'rotate' | 'revoke' } | null>(null)
  const [bulk, setBulk] = useState<AcrossItem[] | null>(null)
  const [unlockRevoke, setUnlockRevoke] = useState<UnlockRevokeTarget | null>(null)
  const tenantViews = useTenants().data?.tenants
  const unlocks = useUnlockList()
  const locked = useMemo(() => new Set((tenantViews ?? []).filter((t) => writesLocked(t, unlocks)).map((t) => t.id)), [tenantViews, unlocks])
  const heading = useRef<HTMLHeadingElement>(null)

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
      const t = tenantViews?.find((x) => x.id === i.tenant.id)
      if (t) setUnlockRevoke({ tenant: t, keyId: i.keyId, keyName: i.key?.name ?? i.keyId, preview: i.key?.key_preview ?? null })
      return
    }
    // The rotate or revoke dialog's own write tells the radar (fleetStoreChanged).
    onSwitchTenant(i.tenant.id)
    setPending({ tenant: i.tenant.id, keyId: i.keyId, kind: action })
  }
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
        <button type="button" className="button ghost" onClick={() => useUi.getState().openDialog({ kind: 'radar-settings' })}>
          Radar settings…
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
                  setBulk(
                    selected.map((i) => ({
                      tenant: i.tenant.id,
                      tenantLabel: i.tenant.label,
                      id: i.keyId,
                      name: i.key?.name ?? i.keyId,
                      preview: i.key?.key_preview ?? null
                    }))
                  )
                }
              >
                Revoke selected
              </button>
            </div>
            {keys.isPending && <p role="status">Reading keys…</p>}
            <ErrorCallout error={keys.error} />
            {keys.data && items.length === 0 && <p role="status">No keys in this category.</p>}
            {items.length > 0 && (
              <RadarKeysTable items={items} checked={checked} onToggle={toggle} onToggleAll={toggleAll} onAction={act} locked={locked} />
            )}
            {keys.data?.truncated && <p className="muted">Showing the first {items.length.toLocaleString()}; narrow by tenant to see the rest.</p>}
          </>
        )}
        <PresentedKeys />
      </div>
      {pending && <OpenWhenListed {...pending} onDone={() => setPending(null)} />}
      {unlockRevoke && <UnlockAndRevokeDialog target={unlockRevoke} onClose={() => setUnlockRevoke(null)} />}
      {bulk && (
        <RadarBulkDialog
          items={bulk}
          onClose={() => {
            setBulk(null)
            setChecked(new Set())
            // The selection is cleared, so its button is disabled: focus goes to the list's heading.
            queueMicrotask(() => heading.current?.focus())
          }}
        />
      )}
    </section>
  )
}

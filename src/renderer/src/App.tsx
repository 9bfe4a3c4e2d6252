import { useEffect, useMemo, useRef } from 'react'
import { ENVIRONMENTS, type TenantView } from '../../shared/tenants'
import { Dialogs } from './app/Dialogs'
import { Header } from './app/Header'
import { KeychainNotice } from './app/KeychainNotice'
import { PersistentNotices, StartupNotices } from './app/Notices'
import { useAppInfo } from './app/queries'
import { StatusBar } from './app/StatusBar'
import { useFollowFleetSync } from './lib/sync'
import { StoreNotice } from './app/StoreNotice'
import { ServerLinkNotice } from './app/ServerLinkNotice'
import { useLiveEvents } from './app/live-events'
import { AwayNotice } from './features/schedule'
import { useHeadroom } from './features/headroom'
import { useFollowRevokeJobs } from './features/bulk'
import { KeysView, useKeys, writeBlockReason } from './features/keys'
import { FirstRun, Sidebar, useActivateTenant, useTenants, useTenantStatusFromReplies } from './features/tenants'
import { RadarView, useNotificationClicks, useRadarShortcut, useRadarUi } from './features/radar'
import { appErrorOf } from './lib/api'
import { describeError } from './lib/errors'
import { useShortcuts } from './lib/shortcuts'
import { useUi } from './lib/store'
import { Toasts } from './ui/Toast'
import { UnlockBanner, useAnyUnlock, useWritesLocked } from './features/protection'
import { CampaignLayer, CampaignsView, useCampaignsUi } from './features/campaigns'

const inSidebarOrder = (tenants: TenantView[]) => ENVIRONMENTS.flatMap((env) => tenants.filter((t) => t.environment === env))

export function App() {
  const tenants = useTenants()
  const info = useAppInfo()
  const activeId = useUi((s) => s.activeTenantId)
  const setActive = useUi((s) => s.setActiveTenant)
  const activate = useActivateTenant()
  // In the sidebar's order (grouped by environment), so Ctrl+n picks the n-th tenant on screen.
  const list = useMemo(() => inSidebarOrder(tenants.data?.tenants ?? []), [tenants.data])
  const tenant = list.find((t) => t.id === activeId) ?? null
  const keys = useKeys(tenant?.id ?? null)
  // The fleet sync's news (a host gone or back, a tenant synced in the background) reaches every view.
  useFollowFleetSync(tenant?.id ?? null)
  const headroom = useHeadroom(tenant?.id ?? null)

  // Restore the tenant shown last; fall back to the first one if it is gone. Once one was shown,
  // "nothing selected" is a choice (removing a tenant with no neighbour in its group): kept.
  const shownOnce = useRef(false)
  useEffect(() => {
    if (!tenants.data) return
    const { activeId: saved } = tenants.data
    if (activeId && list.some((t) => t.id === activeId)) {
      shownOnce.current = true
      return
    }
    if (activeId === null && shownOnce.current) return
    const next = (saved && list.some((t) => t.id === saved) ? saved : list[0]?.id) ?? null
    if (next !== activeId) setActive(next)
  }, [tenants.data, list, activeId, setActive])

  // Each reply's meta carries its tenant's status: the sidebar follows without re-reading the list.
  useTenantStatusFromReplies()

  const switchTenant = (id: string) => {
    setActive(id)
    activate.mutate(id)
  }
  // Choosing a tenant (sidebar, Ctrl+n, switcher) shows its keys; the radar switches without leaving.
  const radarOpen = useRadarUi((s) => s.open)
  const campaignsOpen = useCampaignsUi((s) => s.viewOpen)
  const select = (id: string) => {
    useRadarUi.getState().closeRadar()
    useCampaignsUi.getState().closeView()
    switchTenant(id)
  }
  const showKey = (id: string, keyId: string) => {
    select(id)
    useUi.getState().selectKey(keyId)
  }
  const locked = useWritesLocked(tenant)
  const unlocked = useAnyUnlock()
  useShortcuts(list, select, keys.data !== undefined && writeBlockReason(tenant, keys.data) === null && !locked, locked)
  useRadarShortcut()
  // Bulk revokes are followed to their end here, whichever dialog started them and whether it is still open.
  useFollowRevokeJobs()
  useNotificationClicks()
  // Main says what changed: exactly those answers are asked again (app/live-events.ts).
  useLiveEvents()

  if (tenants.isPending) {
    return (
      <div className="boot" role="status">
        Opening KeyDesk…
      </div>
    )
  }
  if (tenants.isError) {
    return (
      <main className="crash" role="alert">
        <h1>KeyDesk could not read its tenant list</h1>
        <p>{describeError(appErrorOf(tenants.error))}</p>
        <button type="button" className="button primary" onClick={() => void tenants.refetch()}>
          Retry
        </button>
      </main>
    )
  }

  return (
    <div className={`frame ${tenant?.environment === 'production' ? 'frame-production' : ''} ${unlocked ? 'frame-unlocked' : ''}`}>
      <Sidebar tenants={list} onSelect={select} />
      {radarOpen && campaignsOpen && list.length > 0 ? (
        <main className="main">
          <UnlockBanner />
          <KeychainNotice />
          <StoreNotice />
          <CampaignsView tenants={list} onBack={() => useCampaignsUi.getState().closeView()} />
        </main>
      ) : radarOpen && list.length > 0 ? (
        <main className="main">
          <UnlockBanner />
          <KeychainNotice />
          <ServerLinkNotice />
          <StoreNotice />
          <StartupNotices warnings={tenants.data.warnings} />
          <RadarView onShowKey={showKey} />
        </main>
      ) : tenant ? (
        <main className="main" key={tenant.id}>
          <UnlockBanner />
          <KeychainNotice />
          <ServerLinkNotice />
          <StoreNotice />
          <StartupNotices warnings={tenants.data.warnings} />
          <AwayNotice />
          <Header tenant={tenant} meta={keys.data?.meta} fetching={keys.isFetching} />
          <PersistentNotices tenantId={tenant.id} data={keys.data?.data} />
          <KeysView tenant={tenant} />
        </main>
      ) : list.length > 0 ? (
        <main className="main">
          <StartupNotices warnings={tenants.data.warnings} />
          <ServerLinkNotice />
          <AwayNotice />
          <div className="state" role="status">
            No tenant selected. Pick one in the sidebar, or press Ctrl+K.
          </div>
        </main>
      ) : (
        <FirstRun warnings={tenants.data.warnings} notice={<KeychainNotice />} />
      )}
      <StatusBar headroom={headroom.data} meta={keys.data?.meta} rateLimited={!!keys.data?.data.rateLimitedUntil} version={info.data?.version} />
      <Dialogs tenant={tenant} tenants={list} onSelect={select} />
      <CampaignLayer tenants={list} />
      <Toasts />
    </div>
  )
}

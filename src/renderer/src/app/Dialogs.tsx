import { useEffect } from 'react'
import type { TenantView } from '../../../shared/tenants'
import { useUi, type DialogState } from '../lib/store'
import { BulkRevokeDialog } from '../features/bulk'
import { HeadroomPanel } from '../features/headroom'
import { JournalView } from '../features/journal'
import { CreateKeyDialog, RotateDialog } from '../features/key-forms'
import { keysGrid, RevokeDialog, WhenKeysListed } from '../features/keys'
import { OutsideAckDialog, RadarBulkDialog, RadarSettingsDialog } from '../features/radar'
import { ScheduleRevokeDialog } from '../features/schedule'
import { SearchAllDialog } from '../features/search'
import { TriageDialog } from '../features/triage'
import { AddTenantDialog, EditTenantDialog, QuickSwitcher, RemoveTenantDialog } from '../features/tenants'
import { UnlockAndRevokeDialog, UnlockDialog } from '../features/protection'

type Open = Exclude<DialogState, null>

/**
 * The one place every dialog opens from (useUi().openDialog). A write names its tenant in the
 * request and is hosted for that tenant, never for "the active one": the radar and Search all
 * act on a key's own tenant while the operator keeps the tenant they were looking at.
 */
export function Dialogs({ tenant, tenants, onSelect }: { tenant: TenantView | null; tenants: TenantView[]; onSelect: (id: string) => void }) {
  const dialog = useUi((s) => s.dialog)
  const focusAfterClose = useUi((s) => s.focusAfterClose)
  // After the dialog is gone: back where it came from, or — when that is gone too (the "Revoke
  // selected" button after a bulk revocation) — the keys table, so focus never falls to the page.
  useEffect(() => {
    if (dialog || !focusAfterClose) return
    useUi.setState({ focusAfterClose: null })
    const target = focusAfterClose.isConnected ? focusAfterClose : keysGrid()
    target?.focus()
  }, [dialog, focusAfterClose])
  if (!dialog) return null
  if ('tenantId' in dialog) {
    const t = tenants.find((x) => x.id === dialog.tenantId)
    // The tenant was removed while its dialog was open: nothing is left to act on.
    return t ? <TenantDialog dialog={dialog} tenant={t} tenants={tenants} onSelect={onSelect} /> : null
  }
  switch (dialog.kind) {
    case 'add-tenant':
      return <AddTenantDialog onAdded={onSelect} />
    case 'switcher':
      return <QuickSwitcher tenants={tenants} onSelect={onSelect} />
    case 'search-all':
      return <SearchAllDialog onSelect={onSelect} />
    case 'triage':
      return <TriageDialog session={dialog.session} />
    case 'headroom':
      return <HeadroomPanel tenant={tenant} tenants={tenants} />
    case 'journal':
      return <JournalView tenants={tenants} />
    case 'radar-settings':
      return <RadarSettingsDialog />
    case 'revoke-across':
      return <RadarBulkDialog items={dialog.items} tenants={tenants} />
    case 'acknowledge-outside':
      return <OutsideAckDialog item={dialog.item} kind={dialog.change} />
    case 'unlock':
      return <UnlockDialog tenants={tenants.filter((t) => dialog.tenantIds.includes(t.id))} onClose={() => useUi.getState().closeDialog()} />
  }
}

function TenantDialog({
  dialog,
  tenant,
  tenants,
  onSelect
}: {
  dialog: Extract<Open, { tenantId: string }>
  tenant: TenantView
  tenants: TenantView[]
  onSelect: (id: string) => void
}) {
  switch (dialog.kind) {
    case 'edit-tenant':
      return <EditTenantDialog tenant={tenant} />
    case 'remove-tenant':
      return <RemoveTenantDialog tenant={tenant} tenants={tenants} onSelect={onSelect} />
    case 'create-key':
      return <CreateKeyDialog tenant={tenant} />
    case 'unlock-revoke':
      return (
        <UnlockAndRevokeDialog
          target={{ tenant, keyId: dialog.keyId, keyName: dialog.keyName, preview: dialog.preview }}
          onClose={() => useUi.getState().closeDialog()}
        />
      )
    // A key's dialogs read the key from its tenant's list: for a tenant not shown, that list is
    // read first (from the store at once, then from MeshQu), without switching to it.
    case 'revoke':
      return (
        <WhenKeysListed tenant={tenant} title="Revoke API key">
          <RevokeDialog tenant={tenant} keyId={dialog.keyId} />
        </WhenKeysListed>
      )
    case 'rotate':
      return (
        <WhenKeysListed tenant={tenant} title="Rotate API key">
          <RotateDialog tenant={tenant} keyId={dialog.keyId} />
        </WhenKeysListed>
      )
    case 'schedule-revoke':
      return (
        <WhenKeysListed tenant={tenant} title="Schedule a revoke">
          <ScheduleRevokeDialog tenant={tenant} keyId={dialog.keyId} />
        </WhenKeysListed>
      )
    case 'bulk-revoke':
      return (
        <WhenKeysListed tenant={tenant} title="Revoke selected keys">
          <BulkRevokeDialog tenant={tenant} keyIds={dialog.keyIds} />
        </WhenKeysListed>
      )
  }
}

import { useEffect } from 'react'
import { keysGrid } from '../features/keys/keys-grid'
import type { TenantView } from '../../../shared/tenants'
import { useUi } from '../lib/store'
import { BulkRevokeDialog } from '../features/bulk/BulkRevokeDialog'
import { HeadroomPanel } from '../features/headroom/HeadroomPanel'
import { JournalView } from '../features/journal/JournalView'
import { CreateKeyDialog } from '../features/key-forms/CreateKeyDialog'
import { RotateDialog } from '../features/key-forms/RotateDialog'
import { RevokeDialog } from '../features/keys/RevokeDialog'
import { RadarSettingsDialog } from '../features/radar/RadarSettingsDialog'
import { SearchAllDialog } from '../features/search/SearchAllDialog'
import { AddTenantDialog } from '../features/tenants/AddTenantDialog'
import { EditTenantDialog } from '../features/tenants/EditTenantDialog'
import { QuickSwitcher } from '../features/tenants/QuickSwitcher'
import { RemoveTenantDialog } from '../features/tenants/RemoveTenantDialog'
import { UnlockDialog } from '../features/protection'

/** The one place dialogs open from; each reads the rest of what it needs from the stores. */
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
  switch (dialog.kind) {
    case 'add-tenant':
      return <AddTenantDialog onAdded={onSelect} />
    case 'edit-tenant': {
      const t = tenants.find((x) => x.id === dialog.tenantId)
      return t ? <EditTenantDialog tenant={t} /> : null
    }
    case 'remove-tenant': {
      const t = tenants.find((x) => x.id === dialog.tenantId)
      return t ? <RemoveTenantDialog tenant={t} tenants={tenants} onSelect={onSelect} /> : null
    }
    case 'switcher':
      return <QuickSwitcher tenants={tenants} onSelect={onSelect} />
    case 'search-all':
      return <SearchAllDialog onSelect={onSelect} />
    case 'headroom':
      return <HeadroomPanel tenant={tenant} tenants={tenants} />
    case 'journal':
      return <JournalView tenants={tenants} />
    case 'radar-settings':
      return <RadarSettingsDialog />
    case 'unlock':
      return <UnlockDialog tenants={tenants.filter((t) => dialog.tenantIds.includes(t.id))} onClose={() => useUi.getState().closeDialog()} />
  }
  if (!tenant) return null
  switch (dialog.kind) {
    case 'create-key':
      return <CreateKeyDialog tenant={tenant} />
    case 'revoke':
      return <RevokeDialog tenant={tenant} keyId={dialog.keyId} />
    case 'rotate':
      return <RotateDialog tenant={tenant} keyId={dialog.keyId} />
    case 'bulk-revoke':
      return <BulkRevokeDialog tenant={tenant} keyIds={dialog.keyIds} />
  }
}

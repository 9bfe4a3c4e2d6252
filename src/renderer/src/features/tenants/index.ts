// The tenants feature's public surface: other features and app/ import these, never its files.
export { AddTenantDialog } from './AddTenantDialog'
export { EditTenantDialog } from './EditTenantDialog'
export { FirstRun } from './FirstRun'
export { QuickSwitcher } from './QuickSwitcher'
export { RemoveTenantDialog } from './RemoveTenantDialog'
export { Sidebar } from './Sidebar'
export { setTenantStatus, useActivateTenant, useStartSandbox, useTenants, useTenantStatusFromReplies } from './queries'

import type { ReactNode } from 'react'
import { useUi } from '../../lib/store'
import { ErrorCallout } from '../../ui/ErrorCallout'
import { useStartSandbox } from './queries'

/** `notice`: what the frame says about the keychain, shown before the first tenant is added. */
export function FirstRun({ warnings, notice }: { warnings: string[]; notice?: ReactNode }) {
  const openDialog = useUi((s) => s.openDialog)
  const setActive = useUi((s) => s.setActiveTenant)
  const sandbox = useStartSandbox()
  return (
    <main className="first-run" aria-labelledby="welcome-title">
      <div className="welcome">
        <h1 id="welcome-title">Welcome to KeyDesk</h1>
        <p>
          KeyDesk keeps your MeshQu tenants&apos; admin keys in the system keychain and lets you browse, create, rotate and revoke API keys across
          tenants — safely, and within the rate limit.
        </p>
        {notice}
        <p className="muted">Start with a local sandbox full of demo keys, or add one of your tenants.</p>
        {warnings.map((w) => (
          <p key={w} className="notice" role="status">
            {w}
          </p>
        ))}
        <div className="welcome-actions">
          <button
            type="button"
            className="button primary"
            disabled={sandbox.isPending}
            onClick={() => sandbox.mutate(undefined, { onSuccess: (r) => setActive(r.tenant.id) })}
          >
            {sandbox.isPending ? 'Starting the sandbox…' : 'Try the sandbox'}
          </button>
          <button type="button" className="button" onClick={() => openDialog({ kind: 'add-tenant' })}>
            Add tenant
          </button>
        </div>
        <ErrorCallout error={sandbox.error} />
      </div>
    </main>
  )
}

import { levelOf, type TenantProfile, type TenantStatus } from '../../../shared/tenants'
import type { Handlers } from '../router'
import type { EmbeddedSandbox } from '../sandbox/embedded'
import type { TenantStatusBook } from '../tenants/status'

export interface SandboxDeps {
  sandbox: EmbeddedSandbox
  status: TenantStatusBook
  statusOf: (profile: TenantProfile) => TenantStatus
}

/** "Try the sandbox": start the embedded server (adding its tenant once) and ask whether it runs. */
export function sandboxHandlers(d: SandboxDeps): Pick<Handlers, 'sandbox.start' | 'sandbox.status'> {
  return {
    'sandbox.start': async () => {
      const { profile, url } = await d.sandbox.start()
      // Started just now by us: reachable, whatever an earlier call recorded.
      d.status.record(profile.id, null)
      return { data: { tenant: { ...profile, status: d.statusOf(profile), level: levelOf(profile) }, url }, meta: { tenantId: profile.id } }
    },
    'sandbox.status': async () => ({ data: { running: d.sandbox.isRunning(), url: d.sandbox.url() } })
  }
}

import { CoreError } from '../errors'
import type { Handlers } from '../router'
import type { ProfileStore } from '../tenants/profile-store'
import type { Unlocks } from '../tenants/unlocks'
import type { WriteGuard } from '../tenants/write-guard'
import type { TenantProfile } from '../../../shared/tenants'

export interface UnlockHandlerDeps {
  unlocks: Unlocks
  guard: Pick<WriteGuard, 'levelFor'>
  profiles: Pick<ProfileStore, 'get'>
  now: () => number
}

type UnlockHandlers = Pick<Handlers, 'unlock.start' | 'unlock.end' | 'unlock.list' | 'unlock.activity'>

/** Unlocking a read-only tenant's writes for a while (tenants/unlocks.ts). */
export function unlockHandlers(d: UnlockHandlerDeps): UnlockHandlers {
  return {
    'unlock.start': async ({ tenants, reason, minutes }) => {
      const profiles: TenantProfile[] = []
      for (const id of new Set(tenants)) {
        const p = await d.profiles.get(id)
        if (!p) throw new CoreError('NOT_FOUND', 'That tenant is no longer in KeyDesk. Pick another tenant from the sidebar.')
        if ((await d.guard.levelFor(p)) !== 'read-only') {
          throw new CoreError('VALIDATION', `${p.label} is not read-only: its writes need no unlock.`, {
            fields: { tenants: `${p.label} is not read-only` }
          })
        }
        profiles.push(p)
      }
      const unlocks = []
      for (const p of profiles) unlocks.push(await d.unlocks.start(p.id, p.label, reason, minutes))
      return { data: { unlocks } }
    },
    'unlock.end': async ({ tenant }) => ({ data: { ended: await d.unlocks.end(tenant, 'lock-now') } }),
    'unlock.list': async () => ({ data: { unlocks: await d.unlocks.list(), now: d.now() } }),
    'unlock.activity': async () => {
      await d.unlocks.touch()
      return { data: { unlocks: (await d.unlocks.list()).length } }
    }
  }
}

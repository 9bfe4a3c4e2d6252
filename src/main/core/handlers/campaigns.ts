import type { Handlers } from '../router'
import type { Campaigns } from '../campaigns/runner'
import { requireReason } from '../journal/reasons'
import type { ProfileStore } from '../tenants/profile-store'
import type { WriteGuard } from '../tenants/write-guard'
import { CoreError } from '../errors'

export interface CampaignHandlerDeps {
  campaigns: Campaigns
  profiles: ProfileStore
  reasonRequired: () => Promise<boolean>
  guard: WriteGuard
  now: () => number
  /** How fine-grained last_used_at is assumed to be: the quiet window must be longer. */
  granularityMs: number
}

type CampaignHandlers = Pick<
  Handlers,
  | 'campaigns.start'
  | 'campaigns.list'
  | 'campaigns.get'
  | 'campaigns.handOver'
  | 'campaigns.closeQueue'
  | 'campaigns.recreate'
  | 'campaigns.cancel'
  | 'campaigns.revokeAnyway'
  | 'campaigns.extend'
>

/** Rotation campaigns (campaigns/runner.ts); main checks the reason, the quiet window and protection. */
export function campaignHandlers(d: CampaignHandlerDeps): CampaignHandlers {
  const profile = (id: string) => d.profiles.get(id)
  return {
    'campaigns.start': async (input) => {
      if (input.quietWindowMs <= d.granularityMs) {
        throw new CoreError(
          'VALIDATION',
          `The quiet window must be longer than ${Math.round(d.granularityMs / 60_000)} minutes: a key's last use may show that late.`,
          {
            fields: { quietWindowMs: 'Longer than the granularity of last use' }
          }
        )
      }
      await requireReason(
        { required: d.reasonRequired, profile },
        input.keys.map((k) => k.tenant),
        input.reason
      )
      return { data: await d.campaigns.begin(input) }
    },
    'campaigns.list': async () => ({ data: { campaigns: await d.campaigns.list(), now: d.now() } }),
    'campaigns.get': async ({ campaignId }) => ({ data: await d.campaigns.detail(campaignId) }),
    'campaigns.handOver': async ({ campaignId, keyRowId }) => ({ data: await d.campaigns.handOver(campaignId, keyRowId) }),
    'campaigns.closeQueue': async ({ campaignId }) => ({ data: { discarded: await d.campaigns.closeQueue(campaignId) } }),
    'campaigns.recreate': async ({ campaignId }) => ({ data: { planned: await d.campaigns.recreate(campaignId) } }),
    'campaigns.cancel': async ({ campaignId }) => ({ data: await d.campaigns.cancel(campaignId) }),
    'campaigns.revokeAnyway': async ({ campaignId, keyRowId, confirm, reason }) => ({
      data: await d.campaigns.revokeAnyway(campaignId, keyRowId, confirm, reason)
    }),
    'campaigns.extend': async ({ campaignId, keyRowId, byMs }) => ({ data: await d.campaigns.extend(campaignId, keyRowId, byMs) })
  }
}

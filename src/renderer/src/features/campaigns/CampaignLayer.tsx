import type { TenantView } from '../../../../shared/tenants'
import { useCampaignsUi } from './campaign-store'
import { CampaignDialog } from './CampaignDialog'
import { HandOverQueue } from './HandOverQueue'

/** The campaign dialog and the hand-over queue, wherever they were opened from. */
export function CampaignLayer({ tenants }: { tenants: readonly TenantView[] }) {
  const picks = useCampaignsUi((s) => s.picks)
  const queue = useCampaignsUi((s) => s.queue)
  if (queue) return <HandOverQueue campaignId={queue} tenants={tenants} />
  if (picks) return <CampaignDialog picks={picks} />
  return null
}

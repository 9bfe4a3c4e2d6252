import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ChannelInput } from '../../../../shared/contract'
import { api, unwrap } from '../../lib/api'

const LIST = ['campaigns'] as const
const detailKey = (id: string) => ['campaigns', id] as const

/** Every campaign, polled while shown: main's runner moves keys on its own. */
export function useCampaigns() {
  return useQuery({ queryKey: LIST, queryFn: async () => unwrap(await api().campaigns.list()), refetchInterval: 2_000 })
}

/** One campaign and its keys, polled (faster while replacements are being created). */
export function useCampaign(campaignId: string | null, fast = false) {
  return useQuery({
    queryKey: detailKey(campaignId ?? '-'),
    enabled: campaignId !== null,
    queryFn: async () => unwrap(await api().campaigns.get({ campaignId: campaignId! })),
    refetchInterval: fast ? 500 : 2_000
  })
}

/** A campaign write: the list (and the campaign's detail) are read again after it. */
function useCampaignWrite<I, O>(call: (input: I) => Promise<O>) {
  const qc = useQueryClient()
  return useMutation({ mutationFn: call, onSettled: () => void qc.invalidateQueries({ queryKey: LIST }) })
}

export const useStartCampaign = () => useCampaignWrite(async (i: ChannelInput<'campaigns.start'>) => unwrap(await api().campaigns.start(i)))
export const useHandOver = () => useCampaignWrite(async (i: ChannelInput<'campaigns.handOver'>) => unwrap(await api().campaigns.handOver(i)))
export const useCloseQueue = () => useCampaignWrite(async (i: ChannelInput<'campaigns.closeQueue'>) => unwrap(await api().campaigns.closeQueue(i)))
export const useRecreate = () => useCampaignWrite(async (i: ChannelInput<'campaigns.recreate'>) => unwrap(await api().campaigns.recreate(i)))
export const useCancelCampaign = () => useCampaignWrite(async (i: ChannelInput<'campaigns.cancel'>) => unwrap(await api().campaigns.cancel(i)))
export const useRevokeAnyway = () =>
  useCampaignWrite(async (i: ChannelInput<'campaigns.revokeAnyway'>) => unwrap(await api().campaigns.revokeAnyway(i)))
export const useExtend = () => useCampaignWrite(async (i: ChannelInput<'campaigns.extend'>) => unwrap(await api().campaigns.extend(i)))

import { useQuery } from '@tanstack/react-query'
import { api, unwrap } from './api'
import { qk } from './query-keys'

/** Keys per status of every synced tenant, for the sidebar; from the store, no list loaded. */
export const useFleetCounts = () =>
  useQuery({ queryKey: qk.fleetCounts, queryFn: async () => unwrap(await api().fleet.counts()), refetchInterval: 60_000 })

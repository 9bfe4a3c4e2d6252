import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '../lib/api'
import { qk } from '../lib/query-keys'

/** App-wide server state: the app's own info (keychain state) and the encrypted store's. */
export const useAppInfo = () => useQuery({ queryKey: qk.appInfo, queryFn: async () => unwrap(await api().app.info()), staleTime: Infinity })

/** The encrypted store's state: closed while the keychain is locked, with the reason. */
export const useStoreStatus = () =>
  useQuery({ queryKey: qk.storeStatus, queryFn: async () => unwrap(await api().store.status()), refetchInterval: 30_000 })

export function useRetryStore() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async () => unwrap(await api().store.retry()),
    onSuccess: (status) => {
      qc.setQueryData(qk.storeStatus, status)
      // Everything that read the store may now have an answer.
      void qc.invalidateQueries({ queryKey: qk.fleetCounts })
      void qc.invalidateQueries({ queryKey: ['tenant'] })
    }
  })
}

/** The operator has seen what the anchor found (StoreNotice): no longer reported, held schedules run again. */
export function useAcknowledgeStore() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (ids: string[]) => unwrap(await api().store.acknowledge({ ids })),
    onSuccess: (status) => qc.setQueryData(qk.storeStatus, status)
  })
}

/** "Start a new store": the refused file is set aside (kept) and an empty store opened. */
export function useStartNewStore() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async () => unwrap(await api().store.startNew()),
    onSuccess: (status) => {
      qc.setQueryData(qk.storeStatus, status)
      void qc.invalidateQueries()
    }
  })
}

/** After the keychain is unlocked every answer may change: ask everything again. */
export function useRetryEverything() {
  const qc = useQueryClient()
  return () => void qc.invalidateQueries()
}

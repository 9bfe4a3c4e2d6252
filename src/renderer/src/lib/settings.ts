import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Settings } from '../../../shared/contract'
import { api, unwrap } from './api'
import { qk } from './query-keys'

/** KeyDesk's settings (settings.json): read by the headroom panel, the radar and the journal alike. */
export const useSettings = () => useQuery({ queryKey: qk.settings, queryFn: async () => unwrap(await api().settings.get()) })

export function useSaveSettings() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (patch: Partial<Settings>) => unwrap(await api().settings.update(patch)),
    onSuccess: (s) => qc.setQueryData(qk.settings, s)
  })
}

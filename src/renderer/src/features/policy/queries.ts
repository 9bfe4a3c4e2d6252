import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { FleetPolicy } from '../../../../shared/policy'
import { api, unwrap } from '../../lib/api'

export const policyKeys = { policy: ['policy'] as const }

/** The fleet policy per environment (main keeps it in the encrypted store). */
export function usePolicy() {
  return useQuery({ queryKey: policyKeys.policy, queryFn: async () => unwrap(await api().policy.get()), staleTime: 30_000 })
}

/** After the policy changes, the radar's counts ("Outside policy", compliance) change with it. */
function useAfterPolicyChange() {
  const qc = useQueryClient()
  return (policy: FleetPolicy) => {
    qc.setQueryData(policyKeys.policy, policy)
    void qc.invalidateQueries({ queryKey: ['radar'] })
  }
}

export function useSavePolicy() {
  const changed = useAfterPolicyChange()
  return useMutation({ mutationFn: async (policy: FleetPolicy) => unwrap(await api().policy.update({ policy })), onSuccess: changed })
}

export function useExportPolicy() {
  return useMutation({ mutationFn: async () => unwrap(await api().policy.export()) })
}

/** Saves through main's save dialog; READ_ONLY where there is none (the caller downloads). */
export function useSavePolicyFile() {
  return useMutation({
    mutationFn: async (file: { suggestedName: string; content: string }) =>
      unwrap(await api().files.save({ suggestedName: file.suggestedName, mimeType: 'application/json', content: file.content }))
  })
}

export function usePreviewPolicyImport() {
  return useMutation({ mutationFn: async (text: string) => unwrap(await api().policy.previewImport({ text })) })
}

export function useImportPolicy() {
  const changed = useAfterPolicyChange()
  return useMutation({ mutationFn: async (text: string) => unwrap(await api().policy.import({ text })), onSuccess: changed })
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ScheduledRevoke, ScheduleWhen } from '../../../../shared/schedule'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'

/** Schedules that still matter on screen: waiting, running, or failed (until the key is revoked by hand). */
const LIVE_STATES: ScheduledRevoke['state'][] = ['scheduled', 'running', 'failed']

/**
 * A tenant's live schedules, one query for the table, the detail panel and the notices. Polled
 * (the runner acts in main; this only follows), and the countdown itself comes from
 * main's `msUntilDue` against its own clock, re-based on our clock when the answer arrives.
 */
export function useSchedules(tenant: string | null) {
  const qc = useQueryClient()
  return useQuery({
    queryKey: qk.schedules(tenant ?? '-'),
    enabled: tenant !== null,
    queryFn: async () => {
      const before = qc.getQueryData<{ schedules: ScheduledRevoke[] }>(qk.schedules(tenant!))
      const reply = unwrap(await api().schedule.list({ tenant: tenant!, states: LIVE_STATES }))
      // A schedule that left the live list ran (or was cancelled): the key list shows its revocation.
      const byId = new Map(reply.schedules.map((s) => [s.id, s]))
      if (before?.schedules.some((s) => byId.get(s.id)?.state !== s.state)) void qc.invalidateQueries({ queryKey: qk.keys(tenant!) })
      return { ...reply, receivedAt: Date.now() }
    },
    // Every 15 s, sooner when one comes due (or runs), so the row turns revoked when it happens.
    refetchInterval: (q) => {
      const soonest = Math.min(
        ...(q.state.data?.schedules ?? []).filter((x) => x.state !== 'failed').map((x) => (x.state === 'running' ? 0 : x.msUntilDue))
      )
      return Math.min(15_000, Math.max(1_000, soonest + 500))
    }
  })
}

/** The live schedule of one key, or undefined. A revoked key's failed schedule no longer matters. */
export function useKeySchedule(tenant: string, keyId: string) {
  const q = useSchedules(tenant)
  const s = q.data?.schedules.find((x) => x.keyId === keyId)
  return { schedule: s, receivedAt: q.data?.receivedAt ?? 0, query: q }
}

export function useScheduleRevoke(tenant: string, keyId: string, keyName: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ when, reason }: { when: ScheduleWhen; reason?: string }) =>
      unwrap(await api().schedule.revoke({ tenant, keyId, keyName, ...when, reason })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.schedules(tenant) })
  })
}

export function useCancelSchedule(tenant: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (id: number) => unwrap(await api().schedule.cancel({ id })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.schedules(tenant) })
  })
}

/** What ran while KeyDesk was closed; asked once per start. */
export const useAwayReport = () =>
  useQuery({ queryKey: qk.scheduleAway, queryFn: async () => unwrap(await api().schedule.away()), staleTime: Infinity, retry: false })

export function useDismissAway() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (ids: number[]) => unwrap(await api().schedule.dismissAway({ ids })),
    onSuccess: () => qc.setQueryData(qk.scheduleAway, { results: [] })
  })
}

import { useMutation, useQuery, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query'
import type { ChannelInput } from '../../../../shared/contract'
import type { ScheduledRevoke, ScheduleHold, ScheduleWhen } from '../../../../shared/schedule'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'
import { fleetStoreChanged } from '../../lib/fleet-store-reads'
import { markRevoked } from '../../lib/key-cache'
import { eventsLive } from '../../lib/event-link'

/** How often schedules are read while main's events arrive. */
const SCHEDULE_FALLBACK_MS = 30_000

/** Schedules that still matter on screen: waiting, running, or failed (until the key is revoked by hand). */
const LIVE_STATES: ScheduledRevoke['state'][] = ['scheduled', 'running', 'failed']

/** `clockOffset`: our clock minus main's when the answer came; main's times plus it are ours. */
type ScheduleList = { schedules: ScheduledRevoke[]; now: number; hold?: ScheduleHold | null; clockOffset: number }

/**
 * Polled every 15 s, sooner when one comes due (or runs, or an overdue one is tried again), so
 * what it shows changes when it happens. An overdue one waits for main's next attempt rather than
 * asking every second while offline.
 */
const pollInterval = (data: ScheduleList | undefined) => {
  // Main says when a schedule runs, fails or is claimed (schedule.ran, schedules.changed): a slow fallback then.
  if (eventsLive()) return SCHEDULE_FALLBACK_MS
  const next = (x: ScheduledRevoke) =>
    x.state === 'running' ? 0 : x.overdue && x.nextAttemptAt !== null && data ? x.nextAttemptAt - data.now : x.msUntilDue
  const soonest = Math.min(...(data?.schedules ?? []).filter((x) => x.state !== 'failed').map(next))
  return Math.min(15_000, Math.max(1_000, soonest + 500))
}

/**
 * Reads a list of schedules; when one left it or changed state since the last read, it ran (or
 * was cancelled, or failed). Main's store already holds the outcome, so the store's readers are
 * asked again; the tenant's cached key list, which came from MeshQu, is read again to show it.
 */
async function readSchedules(qc: QueryClient, key: QueryKey, input: ChannelInput<'schedule.list'>): Promise<ScheduleList> {
  const before = qc.getQueryData<ScheduleList>(key)
  const reply = unwrap(await api().schedule.list(input))
  const byId = new Map(reply.schedules.map((s) => [s.id, s]))
  const moved = new Set(before?.schedules.filter((s) => byId.get(s.id)?.state !== s.state).map((s) => s.tenant))
  for (const tenant of moved) void qc.invalidateQueries({ queryKey: qk.keys(tenant) })
  if (moved.size) fleetStoreChanged(qc, moved)
  return { ...reply, clockOffset: Date.now() - reply.now }
}

/**
 * A tenant's live schedules, one query for the table, the detail panel and the notices. Polled
 * (the runner acts in main; this only follows); countdowns are counted on main's clock, carried
 * onto ours by the answer's `clockOffset`.
 */
export function useSchedules(tenant: string | null) {
  const qc = useQueryClient()
  return useQuery({
    queryKey: qk.schedules(tenant ?? '-'),
    enabled: tenant !== null,
    queryFn: () => readSchedules(qc, qk.schedules(tenant!), { tenant: tenant!, states: LIVE_STATES }),
    refetchInterval: (q) => pollInterval(q.state.data)
  })
}

/**
 * Every tenant's schedules still waiting or running (the radar's list with countdowns), in due
 * order. Failed ones are not here: they are the radar's "Scheduled revoke failed" finding.
 */
export function useFleetSchedules() {
  const qc = useQueryClient()
  return useQuery({
    queryKey: qk.fleetSchedules,
    queryFn: () => readSchedules(qc, qk.fleetSchedules, { states: ['scheduled', 'running'], limit: 1000 }),
    refetchInterval: (q) => pollInterval(q.state.data)
  })
}

/** The live schedule of one key, or undefined. A revoked key's failed schedule no longer matters. */
export function useKeySchedule(tenant: string, keyId: string) {
  const q = useSchedules(tenant)
  const s = q.data?.schedules.find((x) => x.keyId === keyId)
  return { schedule: s, clockOffset: q.data?.clockOffset ?? 0, query: q }
}

export function useScheduleRevoke(tenant: string, keyId: string, keyName: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async ({ when, reason }: { when: ScheduleWhen; reason?: string }) =>
      unwrap(await api().schedule.revoke({ tenant, keyId, keyName, ...when, reason })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.schedules(tenant) })
      void qc.invalidateQueries({ queryKey: qk.fleetSchedules })
    }
  })
}

/** Cancels one schedule of any tenant (the detail panel, the radar's list): both lists read again. */
export function useCancelSchedule() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (id: number) => unwrap(await api().schedule.cancel({ id })),
    onSuccess: (s) => {
      void qc.invalidateQueries({ queryKey: qk.schedules(s.tenant) })
      void qc.invalidateQueries({ queryKey: qk.fleetSchedules })
    }
  })
}

/** The operator confirms the clock after a jump: main runs what it held; every schedule list is read again. */
export function useResumeSchedules() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async () => unwrap(await api().schedule.resume()),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.fleetSchedules })
      void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'tenant' && q.queryKey[2] === 'schedules' })
    }
  })
}

/** How often the away report is asked again while main is still running what came due. */
const AWAY_PENDING_POLL_MS = 1_000

/**
 * What ran while KeyDesk was closed. Asked until main says its first pass over those revokes is
 * done (`pending`), then kept for the session. Each answer that brings revokes done names their
 * tenants' keys as revoked to the store's readers (radar, search, counts) and the cached lists.
 */
export function useAwayReport() {
  const qc = useQueryClient()
  return useQuery({
    queryKey: qk.scheduleAway,
    queryFn: async () => {
      const before = qc.getQueryData<{ results: ScheduledRevoke[] }>(qk.scheduleAway)
      const reply = unwrap(await api().schedule.away())
      const wasDone = new Set(before?.results.filter((r) => r.state === 'done').map((r) => r.id))
      const done = reply.results.filter((r) => r.state === 'done' && !wasDone.has(r.id))
      const tenants = new Set(done.map((r) => r.tenant))
      for (const tenant of tenants)
        markRevoked(
          qc,
          tenant,
          done.filter((r) => r.tenant === tenant).map((r) => r.keyId)
        )
      if (tenants.size) fleetStoreChanged(qc, tenants)
      return reply
    },
    refetchInterval: (q) => (q.state.data?.pending ? AWAY_PENDING_POLL_MS : false),
    staleTime: Infinity,
    retry: false
  })
}

export function useDismissAway() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (ids: number[]) => unwrap(await api().schedule.dismissAway({ ids })),
    onSuccess: () => qc.setQueryData(qk.scheduleAway, { results: [], pending: false })
  })
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { ChannelInput } from '../../../../shared/contract'
import type { TenantView, Unlock } from '../../../../shared/tenants'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'
import { pollUnlessLive } from '../../lib/event-link'

/** Unlocks as main holds them: main ends them on time and when idle, and says so. */
export const useUnlocks = () =>
  useQuery({
    queryKey: qk.unlocks,
    queryFn: async () => {
      const r = unwrap(await api().unlock.list())
      // Main's clock carried onto ours, so the countdown says what main will do.
      return { unlocks: r.unlocks, clockOffset: r.now - Date.now() }
    },
    // Main says when an unlock starts or ends (unlock.changed): a slow fallback then.
    refetchInterval: () => pollUnlessLive(5_000, 30_000)
  })

const NO_UNLOCKS: Unlock[] = []
export const useUnlockList = () => useUnlocks().data?.unlocks ?? NO_UNLOCKS

/**
 * The renderer's copy of main's rule: a read-only tenant without an unlock shows no write
 * control. Main refuses such a write anyway (READ_ONLY); this only keeps the controls away.
 */
export function writesLocked(tenant: Pick<TenantView, 'id' | 'level'>, unlocks: readonly Unlock[]): boolean {
  return tenant.level === 'read-only' && !unlocks.some((u) => u.tenant === tenant.id)
}

export function useWritesLocked(tenant: Pick<TenantView, 'id' | 'level'> | null): boolean {
  const unlocks = useUnlocks()
  if (!tenant || tenant.level !== 'read-only') return false
  // Until main has answered, a read-only tenant counts as locked: never a control too many.
  return writesLocked(tenant, unlocks.data?.unlocks ?? NO_UNLOCKS)
}

export function useStartUnlock() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (input: ChannelInput<'unlock.start'>) => unwrap(await api().unlock.start(input)),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: qk.unlocks }), qc.invalidateQueries({ queryKey: qk.journal })])
  })
}

export function useEndUnlock() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: async (tenant: string) => unwrap(await api().unlock.end({ tenant })),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: qk.unlocks }), qc.invalidateQueries({ queryKey: qk.journal })])
  })
}

/** At most one activity signal per this long: enough for a 10-minute idle rule. */
const ACTIVITY_EVERY_MS = 30_000

/** While an unlock is held, the operator's key presses and clicks tell main it is not idle. */
export function useUnlockActivity(active: boolean) {
  useEffect(() => {
    if (!active) return
    let last = 0
    const signal = () => {
      const t = Date.now()
      if (t - last < ACTIVITY_EVERY_MS) return
      last = t
      void api().unlock.activity()
    }
    window.addEventListener('keydown', signal, true)
    window.addEventListener('pointerdown', signal, true)
    return () => {
      window.removeEventListener('keydown', signal, true)
      window.removeEventListener('pointerdown', signal, true)
    }
  }, [active])
}

/** After main refused a write as READ_ONLY, the unlock it relied on is gone: read them again. */
export function useRefreshUnlocks() {
  const qc = useQueryClient()
  return () => void qc.invalidateQueries({ queryKey: qk.unlocks })
}

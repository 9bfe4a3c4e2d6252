import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { api, appErrorOf, unwrap } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { qk } from '../../lib/query-keys'

export function useHeadroom(tenant: string | null, intervalMs = 1000) {
  return useQuery({
    queryKey: qk.headroom(tenant ?? '-'),
    enabled: tenant !== null,
    queryFn: async () => unwrap(await api().ratelimit.status({ tenant: tenant! })),
    refetchInterval: intervalMs
  })
}

/** Every tenant's headroom side by side, while the panel is open. */
export const useHeadroomOverview = () =>
  useQuery({ queryKey: qk.overview, queryFn: async () => unwrap(await api().ratelimit.overview()), refetchInterval: 2000 })

/** Live watch: one real request per interval, only while the panel is open and the box is ticked. */
export function useLiveWatch(tenantId: string | null, seconds: number | null) {
  const qc = useQueryClient()
  const [error, setError] = useState<string | null>(null)
  const last = useRef(0)
  useEffect(() => {
    if (!tenantId || !seconds) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout>
    const probe = async () => {
      last.current = Date.now()
      try {
        const h = unwrap(await api().ratelimit.probe({ tenant: tenantId }))
        if (stopped) return
        qc.setQueryData(qk.headroom(tenantId), h)
        setError(null)
      } catch (err) {
        if (!stopped) setError(describeError(appErrorOf(err)))
      }
      if (!stopped) timer = setTimeout(() => void probe(), seconds * 1000)
    }
    // Changing the interval does not spend an extra request: the next probe keeps its spacing.
    timer = setTimeout(() => void probe(), Math.max(0, last.current + seconds * 1000 - Date.now()))
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [tenantId, seconds, qc])
  return error
}

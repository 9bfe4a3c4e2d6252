import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query'
import type { ChannelInput } from '../../../../shared/contract'
import type { JournalAction } from '../../../../shared/journal'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'
import { useSettings } from '../../lib/settings'

export interface JournalFilter {
  tenant?: string
  actions?: JournalAction[]
  from?: number
  to?: number
}

const PAGE = 100

/**
 * The whole journal, newest first, a page at a time (`before` cursor). Always refetched on mount:
 * every write adds entries, and the journal is read rarely.
 */
export function useJournal(filter: JournalFilter) {
  return useInfiniteQuery({
    queryKey: qk.journalList(filter),
    queryFn: async ({ pageParam }) => unwrap(await api().journal.list({ ...filter, limit: PAGE, before: pageParam ?? undefined })),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
    staleTime: 0
  })
}

/** The journal entries of one key, for the detail panel (beside MeshQu's audit events). */
export function useKeyJournal(tenant: string, keyId: string) {
  return useQuery({
    queryKey: qk.journalForKey(tenant, keyId),
    queryFn: async () => unwrap(await api().journal.forKey({ tenant, keyId, limit: 50 })),
    staleTime: 0
  })
}

/** Walks the hash chain on demand (it reads every entry, so only when asked). */
export const useVerifyJournal = () => useMutation({ mutationFn: async () => unwrap(await api().journal.verify()) })

export const useExportJournal = () =>
  useMutation({ mutationFn: async (input: ChannelInput<'journal.export'>) => unwrap(await api().journal.export(input)) })

/**
 * Whether a write on a tenant of this environment needs a reason: the setting, for production
 * only. Main enforces the same rule (VALIDATION on fields.reason); this only marks the field.
 */
export function useReasonRequired(production: boolean): boolean {
  const settings = useSettings()
  return production && settings.data?.requireReasonInProduction === true
}

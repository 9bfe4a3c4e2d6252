import { useQuery } from '@tanstack/react-query'
import { SEARCH_MIN_CHARS } from '../../../../shared/contract'
import type { Scope } from '../../../../shared/scopes'
import { api, unwrap } from '../../lib/api'
import { qk } from '../../lib/query-keys'

export const SEARCH_LIMIT = 200

/** Too short to search (the store's trigram index needs SEARCH_MIN_CHARS); empty is not "too short". */
export const tooShortToSearch = (text: string) => text.length > 0 && [...text].length < SEARCH_MIN_CHARS

/** Every tenant's last synced list, searched in the store (works offline). */
export function useSearchAll(text: string, scope: Scope | '') {
  return useQuery({
    queryKey: qk.searchAll(text, scope),
    enabled: !tooShortToSearch(text) && (text.length > 0 || scope !== ''),
    queryFn: async () => unwrap(await api().keys.searchAll({ text, scope: scope || undefined, limit: SEARCH_LIMIT })),
    staleTime: 10_000,
    placeholderData: (previous) => previous
  })
}

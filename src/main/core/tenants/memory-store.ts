import type { SecretStore } from './secret-store'

/** In-memory SecretStore for unit tests and the browser e2e harness. */
export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore & { readonly size: number } {
  const map = new Map(Object.entries(initial))
  return {
    get: async (account) => map.get(account) ?? null,
    set: async (account, secret) => void map.set(account, secret),
    delete: async (account) => map.delete(account),
    list: async () => [...map.keys()],
    get size() {
      return map.size
    }
  }
}

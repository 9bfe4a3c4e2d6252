import type { TenantView } from '../../../../shared/tenants'

/**
 * Which tenant to show after `removed` goes: the next one in its own environment group (or the
 * one before it), never a tenant of another environment — removing a staging tenant must not drop
 * the operator into production. null: nothing selected.
 */
export function neighbourAfterRemoval(tenants: TenantView[], removed: string): string | null {
  const gone = tenants.find((t) => t.id === removed)
  if (!gone) return null
  const group = tenants.filter((t) => t.environment === gone.environment)
  const i = group.findIndex((t) => t.id === removed)
  return (group[i + 1] ?? group[i - 1])?.id ?? null
}

/** The sidebar entry of a tenant, or the sidebar's Add tenant button when none is left. */
export function tenantEntry(id: string | null): HTMLElement | null {
  const nav = document.querySelector('nav[aria-label="Tenants"]')
  const entry = id ? nav?.querySelector<HTMLElement>(`[data-tenant-id="${CSS.escape(id)}"]`) : null
  return entry ?? nav?.querySelector<HTMLElement>('.sidebar-actions [data-action="add-tenant"]') ?? null
}

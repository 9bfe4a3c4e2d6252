import { OUTSIDE_CATEGORY } from '../../../shared/radar'
import type { Logger } from '../log'
import type { NotifierPort } from '../ports'
import type { FleetStore } from '../store/fleet-store'
import type { OutsideFound } from '../store/outside-changes'

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

function names(list: readonly OutsideFound[]): string {
  const shown = list.slice(0, 3).map((c) => c.keyName)
  return list.length > 3 ? `${shown.join(', ')} and ${list.length - 3} more` : shown.join(', ')
}

/** "by ops-console-admin" when every change of the list was made by one key, else nothing. */
function byWhom(list: readonly OutsideFound[]): string {
  const actors = new Set(list.map((c) => c.actorName ?? c.actor))
  const [only] = actors
  return actors.size === 1 && only ? ` by ${only}` : ''
}

/**
 * One notification per tenant and sync when it found keys created or revoked outside KeyDesk,
 * like the expiry notifications: "2 keys created outside KeyDesk in acme-prod". A click opens the
 * radar on that tenant's finding. The first sync of a tenant is its baseline and finds nothing.
 */
export function createOutsideNotifications(d: {
  store: Pick<FleetStore, 'outside'>
  labelOf: (tenant: string) => Promise<string | undefined>
  notifier: NotifierPort
  log: Logger
}) {
  return {
    async afterSync(tenant: string, syncedAt: number): Promise<{ notifications: number }> {
      const found = await d.store.outside.foundAt(tenant, syncedAt)
      if (!found.length) return { notifications: 0 }
      const label = (await d.labelOf(tenant)) ?? tenant
      const created = found.filter((c) => c.kind === 'created')
      const revoked = found.filter((c) => c.kind === 'revoked')
      const what =
        created.length && revoked.length
          ? `${plural(created.length, 'key')} created and ${revoked.length} revoked`
          : created.length
            ? `${plural(created.length, 'key')} created`
            : `${plural(revoked.length, 'key')} revoked`
      const title = `${what} outside KeyDesk in ${label}`
      const body = [
        created.length ? `Created${byWhom(created)}: ${names(created)}.` : null,
        revoked.length ? `Revoked${byWhom(revoked)}: ${names(revoked)}.` : null
      ]
        .filter(Boolean)
        .join(' ')
      d.notifier.notify(title, body, { action: { kind: 'radar', category: OUTSIDE_CATEGORY[created.length ? 'created' : 'revoked'], tenant } })
      return { notifications: 1 }
    }
  }
}

export type OutsideNotifications = ReturnType<typeof createOutsideNotifications>

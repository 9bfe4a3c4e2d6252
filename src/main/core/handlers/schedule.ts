import type { Handlers } from '../router'
import type { ScheduledRevokes } from '../jobs/scheduled-revokes'
import { requireReason } from '../journal/reasons'
import type { ProfileStore } from '../tenants/profile-store'
import type { WriteGuard } from '../tenants/write-guard'

export interface ScheduleHandlerDeps {
  schedules: ScheduledRevokes
  profiles: ProfileStore
  reasonRequired: () => Promise<boolean>
  now: () => number
  guard: WriteGuard
}

type ScheduleHandlers = Pick<
  Handlers,
  'schedule.revoke' | 'schedule.cancel' | 'schedule.list' | 'schedule.away' | 'schedule.dismissAway' | 'schedule.resume'
>

/** Scheduled revokes (jobs/scheduled-revokes.ts): schedule, cancel (one call), list, the away report. */
export function scheduleHandlers(d: ScheduleHandlerDeps): ScheduleHandlers {
  return {
    'schedule.revoke': async (input) => {
      await d.guard.assertWritable([input.tenant])
      await requireReason({ required: d.reasonRequired, profile: (id) => d.profiles.get(id) }, [input.tenant], input.reason)
      return { data: await d.schedules.schedule(input) }
    },
    'schedule.cancel': async ({ id }) => ({ data: await d.schedules.cancel(id) }),
    'schedule.list': async (q) => ({ data: { schedules: await d.schedules.list(q), now: d.now(), hold: d.schedules.hold() } }),
    'schedule.resume': async () => ({ data: { resumed: await d.schedules.resume() } }),
    'schedule.away': async () => ({ data: await d.schedules.away() }),
    'schedule.dismissAway': async ({ ids }) => ({ data: { dismissed: await d.schedules.dismissAway(ids) } })
  }
}

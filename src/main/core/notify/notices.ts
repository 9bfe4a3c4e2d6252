import type { EmitEvent } from '../events/bus'
import type { NotificationAction } from '../../../shared/radar'
import type { NotifierPort } from '../ports'

export interface Notice {
  seq: number
  at: number
  title: string
  body: string
  action: NotificationAction | null
}

/** Kept for the web preview to show and for the UI to catch up; older ones are dropped. */
const KEPT = 100

/**
 * Every desktop notification the core raises goes through here: it is numbered and kept (the web
 * preview has no desktop notifier and shows `notifications.recent` with the browser's API), handed
 * to the shell's notifier when there is one, and a click is remembered with its action so the UI
 * can open the radar filtered (`notifications.lastClick`).
 */
export function createNotices(opts: { notifier?: NotifierPort; now: () => number; emit?: EmitEvent }) {
  const kept: Notice[] = []
  let seq = 0
  let lastClick: { seq: number; at: number; action: NotificationAction | null } | null = null

  const port: NotifierPort = {
    notify(title, body, options = {}) {
      const notice: Notice = { seq: ++seq, at: opts.now(), title, body, action: options.action ?? null }
      kept.push(notice)
      if (kept.length > KEPT) kept.shift()
      opts.emit?.({ type: 'notice', seq: notice.seq })
      opts.notifier?.notify(title, body, {
        action: options.action,
        onClick: () => {
          lastClick = { seq: notice.seq, at: opts.now(), action: notice.action }
          options.onClick?.()
        }
      })
    }
  }

  return {
    /** The notifier the rest of the core uses. */
    port,
    recent: (afterSeq: number) => ({ notices: kept.filter((n) => n.seq > afterSeq), lastSeq: seq }),
    lastClick: () => lastClick
  }
}

export type Notices = ReturnType<typeof createNotices>

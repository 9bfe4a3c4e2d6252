import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { CHANNELS } from '../../shared/contract'
import type { Reply } from '../../shared/envelope'
import { EVENTS_CHANNEL } from '../../shared/events'
import type { Core } from '../core'
import type { Logger } from '../core/log'

/** True when the call comes from our own window's main frame. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

/** A check that throws (e.g. a frame already destroyed) counts as a refusal. */
function safely(check: () => boolean): boolean {
  try {
    return check() === true
  } catch {
    return false
  }
}

/**
 * One ipcMain handler per contract channel, and no others. A call from anything but our window
 * is refused before it reaches the core; nothing thrown escapes as an IPC rejection.
 */
export function registerIpc(ipcMain: IpcMain, core: Pick<Core, 'invoke'>, isTrustedSender: SenderCheck, log: Logger): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, payload: unknown): Promise<Reply<unknown>> => {
      if (!safely(() => isTrustedSender(event))) {
        log.warn(`refused ${channel} from an untrusted sender`)
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This request did not come from the KeyDesk window and was refused.' } }
      }
      try {
        return await core.invoke(channel, payload)
      } catch (err) {
        log.error(`core.invoke threw for ${channel}`, err)
        return { ok: false, error: { code: 'INTERNAL', message: 'KeyDesk hit an unexpected error. Nothing was changed by it; try again.' } }
      }
    })
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel)
  }
}

/**
 * Main's event batches (core.events) to our window, and to nothing else: sent only while the
 * window's page is our own (the same check as a call's sender), never broadcast.
 */
export function forwardEvents(
  core: Pick<Core, 'events'>,
  target: () => Pick<WebContents, 'send' | 'getURL' | 'isDestroyed'> | null,
  isOurPage: (url: string) => boolean,
  log: Logger
): () => void {
  return core.events.subscribe((batch) => {
    const contents = target()
    if (!contents || !safely(() => !contents.isDestroyed() && isOurPage(contents.getURL()))) return
    try {
      contents.send(EVENTS_CHANNEL, batch)
    } catch (err) {
      log.warn('events not sent to the window', err)
    }
  })
}

import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { CHANNELS } from '../../shared/contract'
import type { Reply } from '../../shared/envelope'
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

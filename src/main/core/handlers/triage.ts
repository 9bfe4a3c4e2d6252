import { CoreError } from '../errors'
import type { ScanPickerPort } from '../ports'
import type { Handlers } from '../router'
import type { Triage } from '../triage/service'

type TriageChannels = 'triage.start' | 'triage.close' | 'triage.check' | 'triage.contain' | 'triage.scan' | 'triage.scanStatus' | 'triage.scanCancel'

/** Leak triage (triage/service.ts). With an OS dialog, only the dialog names what is scanned. */
export function triageHandlers(d: { triage: Triage; scanPicker?: ScanPickerPort }): Pick<Handlers, TriageChannels> {
  return {
    'triage.start': async ({ text }) => ({ data: await d.triage.start(text) }),
    'triage.close': async ({ sessionId }) => ({ data: { closed: d.triage.close(sessionId) } }),
    'triage.check': async ({ sessionId, ref, tenant }) => ({ data: await d.triage.check(sessionId, ref, tenant) }),
    'triage.contain': async (input) => ({ data: await d.triage.contain(input) }),
    'triage.scan': async ({ path }) => {
      if (d.scanPicker) {
        // The renderer never names a path to read where the OS dialog can ask the operator.
        if (path !== undefined) throw new CoreError('VALIDATION', 'Choose the file or folder in the dialog.')
        const chosen = await d.scanPicker.choose()
        return { data: chosen === null ? null : d.triage.startScan(chosen) }
      }
      if (path === undefined) throw new CoreError('VALIDATION', 'Type the path of the file or folder to scan.', { fields: { path: 'Type a path' } })
      return { data: d.triage.startScan(path) }
    },
    'triage.scanStatus': async ({ scanId }) => ({ data: d.triage.scanStatus(scanId) }),
    'triage.scanCancel': async ({ scanId }) => ({ data: d.triage.cancelScan(scanId) })
  }
}

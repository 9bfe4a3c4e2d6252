import { CoreError } from '../errors'
import type { FileSaverPort } from '../ports'
import type { Handlers } from '../router'

/** Exports saved through the shell's save dialog; transports without one (web preview) download instead. */
export function fileHandlers(d: { fileSaver?: FileSaverPort }): Pick<Handlers, 'files.save'> {
  return {
    'files.save': async ({ suggestedName, content }) => {
      if (!d.fileSaver) throw new CoreError('READ_ONLY', 'There is no save dialog here; the file is downloaded by the browser instead.')
      const path = await d.fileSaver.save(suggestedName, content)
      return { data: { saved: path !== null, path } }
    }
  }
}

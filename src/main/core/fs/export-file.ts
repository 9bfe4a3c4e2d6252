import type { FileSaverPort } from '../ports'
import { atomicWriteFile } from '../../../node/fs/atomic-write'

/**
 * Exports list key names, previews, scopes and who created what: readable by the operator only
 * (0600), like everything else KeyDesk writes. Overwriting an existing file replaces it (rename),
 * so a file that was group- or world-readable does not stay that way.
 */
export const EXPORT_MODE = 0o600

/** A FileSaverPort from a way to pick the path (the OS save dialog in Electron; a stub in tests). */
export function createExportSaver(choosePath: (suggestedName: string) => Promise<string | null>): FileSaverPort {
  return {
    choosePath,
    async save(suggestedName, content) {
      const path = await choosePath(suggestedName)
      if (!path) return null
      await atomicWriteFile(path, content, EXPORT_MODE)
      return path
    }
  }
}

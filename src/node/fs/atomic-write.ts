import { chmod, open, rename, rm } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { dirname, basename, join } from 'node:path'

/**
 * Write a file so that readers see either the old or the new content, never half of one:
 * write a sibling temp file, fsync it, rename over the target, fsync the directory.
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  let handle
  try {
    handle = await open(tmp, 'w', mode)
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    handle = undefined
    await chmod(tmp, mode) // open()'s mode is filtered by the umask
    await rename(tmp, path)
  } catch (err) {
    await handle?.close().catch(() => {})
    await rm(tmp, { force: true }).catch(() => {})
    throw err
  }
  try {
    const dir = await open(dirname(path), 'r')
    await dir.sync().catch(() => {})
    await dir.close()
  } catch {
    // Directory fsync is best effort (unsupported on some platforms, e.g. Windows).
  }
}

import type { Dirent } from 'node:fs'
import { lstat, open, readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { KEY_PATTERN_SOURCE, TRIAGE_KEYS_MAX } from '../../../shared/triage'

/** Files larger than this are skipped and counted: a leak worth triaging sits in text, not in dumps. */
export const SCAN_FILE_MAX_BYTES = 2 * 1024 * 1024
/** A scan reads at most this many files; the rest are counted as skipped. */
export const SCAN_FILES_MAX = 200_000
/** A NUL byte in a file's first bytes marks it as binary. */
const SNIFF_BYTES = 8192

export interface ScanProgress {
  filesRead: number
  bytesRead: number
  skippedBinary: number
  skippedLarge: number
  skippedOther: number
  keysFound: number
}

export interface ScanResult extends ScanProgress {
  /** Each key once, with the first file it was found in (relative to the root). */
  keys: { key: string; foundIn: string }[]
  more: number
}

/**
 * Reads a file or a folder tree for MeshQu-looking keys, in main: one file in memory at a time
 * (each at most SCAN_FILE_MAX_BYTES), folders walked with an explicit stack, symlinks not
 * followed. Binaries and huge files are skipped and counted. `signal` stops it between files;
 * `progress` is the live count the scan's status reports.
 */
export async function scanPath(root: string, progress: ScanProgress, signal: AbortSignal): Promise<ScanResult> {
  const found = new Map<string, string>()
  let more = 0
  const pattern = new RegExp(KEY_PATTERN_SOURCE, 'g')

  async function readOne(path: string, size: number) {
    if (size > SCAN_FILE_MAX_BYTES) {
      progress.skippedLarge++
      return
    }
    let buf: Buffer
    try {
      const handle = await open(path, 'r')
      try {
        buf = Buffer.alloc(size)
        const { bytesRead } = await handle.read(buf, 0, size, 0)
        buf = buf.subarray(0, bytesRead)
      } finally {
        await handle.close()
      }
    } catch {
      progress.skippedOther++
      return
    }
    if (buf.subarray(0, SNIFF_BYTES).includes(0)) {
      progress.skippedBinary++
      return
    }
    progress.filesRead++
    progress.bytesRead += buf.length
    for (const m of buf.toString('utf8').matchAll(pattern)) {
      if (found.has(m[0])) continue
      if (found.size >= TRIAGE_KEYS_MAX) more++
      else found.set(m[0], relative(root, path) || path)
    }
    progress.keysFound = found.size + more
  }

  const top = await lstat(root)
  if (top.isFile()) await readOne(root, top.size)
  else if (top.isDirectory()) {
    const stack = [root]
    let files = 0
    while (stack.length && !signal.aborted) {
      const dir = stack.pop()!
      let entries: Dirent[]
      try {
        entries = await readdir(dir, { withFileTypes: true })
      } catch {
        progress.skippedOther++
        continue
      }
      for (const e of entries) {
        if (signal.aborted) break
        const path = join(dir, e.name)
        if (e.isDirectory()) stack.push(path)
        else if (e.isFile()) {
          if (++files > SCAN_FILES_MAX) {
            progress.skippedOther++
            continue
          }
          const size = await lstat(path).then(
            (s) => s.size,
            () => -1
          )
          if (size < 0) progress.skippedOther++
          else await readOne(path, size)
        }
      }
    }
  }
  return { ...progress, keys: [...found].map(([key, foundIn]) => ({ key, foundIn })), more }
}

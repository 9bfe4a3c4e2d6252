import { existsSync, renameSync } from 'node:fs'

/** The SQLite side files that belong to one database: all are set aside together. */
const SIDE_FILES = ['', '-wal', '-shm']

/**
 * Moves the store file and its side files to `<path>.unreadable-<time>`, never deleting them:
 * only when the operator chose "Start a new store" for a file the store refused. Returns where.
 */
export function setStoreFileAside(path: string, now: number): string | null {
  if (!SIDE_FILES.some((s) => existsSync(path + s))) return null
  const aside = `${path}.unreadable-${new Date(now).toISOString().replace(/[:.]/g, '-')}`
  for (const suffix of SIDE_FILES) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix)
  }
  return aside
}

import { mkdir, open, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** The lock file's name in the data dir while a process creates the cache's data key. */
export const DATA_KEY_LOCK = '.data-key.lock'
/** A lock older than this was left by a process that died while holding it. */
const STALE_MS = 10_000
const POLL_MS = 25
/** Bounds the wait even if the clock misbehaves: STALE_MS / POLL_MS polls, twice over. */
const MAX_POLLS = (2 * STALE_MS) / POLL_MS

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
// Within one process, creators queue here (per secret store), so they never even contend for the file.
const inProcess = new WeakMap<object, Promise<unknown>>()

/**
 * Runs `create` while holding an exclusive lock: in-process by queueing, across processes by
 * creating `<dir>/.data-key.lock` with O_EXCL ('wx'). `create` must re-read before it writes.
 */
export function withCreationLock<T>(owner: object, dir: string | undefined, create: () => Promise<T>): Promise<T> {
  const previous = inProcess.get(owner) ?? Promise.resolve()
  const run = previous.catch(() => {}).then(() => (dir ? withFileLock(join(dir, DATA_KEY_LOCK), create) : create()))
  inProcess.set(owner, run)
  return run
}

async function withFileLock<T>(path: string, create: () => Promise<T>): Promise<T> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 })
  for (let poll = 0; ; poll++) {
    try {
      const handle = await open(path, 'wx', 0o600)
      try {
        await handle.writeFile(String(process.pid))
      } finally {
        await handle.close()
      }
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      if (poll >= MAX_POLLS || (await isStale(path))) await rm(path, { force: true })
      else await sleep(POLL_MS)
    }
  }
  try {
    return await create()
  } finally {
    await rm(path, { force: true }).catch(() => {})
  }
}

async function isStale(path: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > STALE_MS
  } catch {
    return false // gone already: the next try creates it
  }
}

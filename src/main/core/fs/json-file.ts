import { readFile, rename } from 'node:fs/promises'
import { atomicWriteFile } from '../../../node/fs/atomic-write'
import type { Logger } from '../log'

/** Anything with zod's `parse`: a schema, or a schema with a transform into the in-memory shape. */
export interface JsonParser<T> {
  parse(raw: unknown): T
}

export interface JsonFileOptions<T> {
  path: string
  /** Checks what was read (after `migrate`); a throw means the file is corrupt. */
  schema: JsonParser<T>
  /** The value when the file is missing or was set aside. A function, so each caller gets its own copy. */
  defaults: () => T
  /** Turns an older file's JSON into the current shape before `schema` sees it. */
  migrate?: (raw: unknown) => unknown
  /** What is written for a value (default: the value itself), e.g. to put back what `schema` split off. */
  serialize?: (value: T) => unknown
  log: Logger
  now?: () => number
  /** Told once a corrupt file has been renamed to `aside`, e.g. to show the operator a warning. */
  onSetAside?: (aside: string) => void
}

export interface JsonFile<T> {
  /** Loaded once (concurrent first reads share one load); a read error other than "missing" rejects and is retried next time. */
  read(): Promise<T>
  /** The loaded value without I/O, or undefined before the first load. */
  peek(): T | undefined
  /**
   * Runs `change` on the latest value and writes its result atomically. Updates run one at a time,
   * each on the previous one's result, so two quick changes both land. Returning the value passed
   * in unchanged (the same object) skips the write. A failed write leaves the value as it was and
   * never blocks the next update.
   */
  update(change: (current: T) => T | Promise<T>): Promise<T>
}

/**
 * One JSON file in the data dir, the one way KeyDesk keeps its JSON files (settings, profiles):
 * checked on read, written atomically (mode 0600), one write at a time, and a file that cannot
 * be parsed is renamed `<file>.corrupt-<time>` rather than overwritten, so nothing is lost.
 */
export function createJsonFile<T>(opts: JsonFileOptions<T>): JsonFile<T> {
  const now = opts.now ?? Date.now
  let current: T | undefined
  let loading: Promise<T> | undefined
  let queue: Promise<unknown> = Promise.resolve()

  async function load(): Promise<T> {
    let text: string
    try {
      text = await readFile(opts.path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      return (current = opts.defaults())
    }
    try {
      const raw: unknown = JSON.parse(text)
      return (current = opts.schema.parse(opts.migrate ? opts.migrate(raw) : raw))
    } catch (err) {
      const aside = `${opts.path}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`
      await rename(opts.path, aside)
      opts.log.warn(`${opts.path} was unreadable and has been kept as ${aside}; starting from defaults`, err)
      opts.onSetAside?.(aside)
      return (current = opts.defaults())
    }
  }

  function read(): Promise<T> {
    if (current !== undefined) return Promise.resolve(current)
    loading ??= load().finally(() => (loading = undefined))
    return loading
  }

  return {
    read,
    peek: () => current,
    update(change) {
      const run = queue.then(async () => {
        const before = await read()
        const next = await change(before)
        if (next === before) return before
        const data = opts.serialize ? opts.serialize(next) : next
        await atomicWriteFile(opts.path, `${JSON.stringify(data, null, 2)}\n`)
        current = next
        return next
      })
      queue = run.catch(() => {}) // a failed write must not block the next one
      return run
    }
  }
}

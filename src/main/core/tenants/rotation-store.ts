import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { RotationSchema, type Rotation } from '../../../shared/contract'
import { atomicWriteFile } from '../fs/atomic-write'
import type { Logger } from '../log'

const FileSchema = z.object({ version: z.literal(1), pending: z.array(RotationSchema) })

/**
 * Rotations whose old key was kept "for later": the reminder list. Only ids are stored (names and
 * previews stay in the encrypted cache); an entry ends when its old key is revoked.
 */
export function createRotationStore(dataDir: string, log: Logger) {
  const path = join(dataDir, 'rotations.json')
  let pending: Rotation[] | undefined
  let queue: Promise<unknown> = Promise.resolve()

  async function load(): Promise<Rotation[]> {
    if (pending) return pending
    try {
      pending = FileSchema.parse(JSON.parse(await readFile(path, 'utf8'))).pending
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn('rotations.json unreadable; starting with no pending rotations', err)
      pending = []
    }
    return pending
  }
  const save = (list: Rotation[]) => atomicWriteFile(path, `${JSON.stringify({ version: 1, pending: list }, null, 2)}\n`)
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn)
    queue = run.catch(() => {})
    return run
  }

  return {
    list: async (tenant: string) => (await load()).filter((r) => r.tenant === tenant),
    add: (r: Rotation) =>
      exclusive(async () => {
        const list = await load()
        list.push(r)
        await save(list)
      }),
    /** The old key was revoked: its reminder is done. */
    resolve: (tenant: string, oldKeyIds: string[]) =>
      exclusive(async () => {
        const list = await load()
        const next = list.filter((r) => !(r.tenant === tenant && oldKeyIds.includes(r.oldKeyId)))
        if (next.length !== list.length) {
          pending = next
          await save(next)
        }
      }),
    forgetTenant: (tenant: string) =>
      exclusive(async () => {
        const list = await load()
        pending = list.filter((r) => r.tenant !== tenant)
        await save(pending)
      })
  }
}

export type RotationStore = ReturnType<typeof createRotationStore>

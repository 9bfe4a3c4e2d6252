import { z } from 'zod'

/**
 * The messages between the keychain's owner in main and the keychain worker process
 * (keychain-worker.ts). Both sides validate what they receive: a worker that misbehaves is
 * treated like one that crashed, never trusted.
 */
const Account = z.string().min(1).max(512)
const Service = z.string().min(1).max(256)

export const KeychainRequestSchema = z.discriminatedUnion('op', [
  z.object({ id: z.number().int(), op: z.literal('get'), service: Service, account: Account }).strict(),
  z.object({ id: z.number().int(), op: z.literal('set'), service: Service, account: Account, secret: z.string().max(64 * 1024) }).strict(),
  z.object({ id: z.number().int(), op: z.literal('delete'), service: Service, account: Account }).strict(),
  z.object({ id: z.number().int(), op: z.literal('list'), service: Service }).strict(),
  z.object({ id: z.number().int(), op: z.literal('probe'), service: Service, account: Account }).strict()
])
export type KeychainRequest = z.infer<typeof KeychainRequestSchema>
/** A request before the owner numbers it. */
export type KeychainCall = KeychainRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

/**
 * `failed`: keytar refused or threw (no Secret Service, a write into a locked collection…).
 * `module`: keytar itself could not be loaded in the worker.
 * The worker never forwards keytar's own messages: they carry nothing the owner branches on.
 */
export const KeychainReplySchema = z.discriminatedUnion('ok', [
  z
    .object({ id: z.number().int(), ok: z.literal(true), value: z.union([z.string(), z.boolean(), z.null(), z.array(z.string()), z.undefined()]) })
    .strict(),
  z.object({ id: z.number().int(), ok: z.literal(false), failure: z.enum(['failed', 'module']) }).strict()
])
export type KeychainReply = z.infer<typeof KeychainReplySchema>

/** What a probe found: the keychain answered reads and writes, refused a write (locked), or did not answer. */
export const KeychainAvailabilitySchema = z.enum(['available', 'locked', 'unavailable'])
export type KeychainAvailability = z.infer<typeof KeychainAvailabilitySchema>

import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { ENVIRONMENT_COLORS, type TenantProfile } from '../../../shared/tenants'
import { CoreError } from '../errors'
import type { Logger } from '../log'
import { maskKey } from '../redact'
import type { ProfileStore } from '../tenants/profile-store'
import type { AdminKeys } from '../tenants/admin-keys'
import type { TenantSessions } from '../tenants/sessions'

export interface RunningSandbox {
  url: string
  tenants: { id: string; name: string; admin_key: string }[]
  close(): Promise<void>
}
export type StartSandbox = (options: { dataDir: string; tenants: number; seedKeys: number; quiet: boolean }) => Promise<RunningSandbox>

export const SANDBOX_LABEL = 'Sandbox (demo)'
const DEMO_KEYS = 240

/** The sandbox is loaded only when asked for, so a normal start never pays for fastify. */
const defaultStart: StartSandbox = async (options) => (await import('../../../sandbox')).startSandbox({ ...options, port: 0 })

/**
 * "Try the sandbox": a MeshQu-compatible server on 127.0.0.1 at a free port, living as long as the
 * core does. Its state (and demo tenant) persists in the data dir; the profile is kept in step
 * with the port it got this time, and its admin key goes to the keychain like any other.
 */
export function createEmbeddedSandbox(deps: {
  dataDir: string
  profiles: ProfileStore
  adminKeys: Pick<AdminKeys, 'bind'>
  sessions: TenantSessions
  log: Logger
  now: () => number
  start?: StartSandbox
}) {
  let running: RunningSandbox | undefined
  let starting: Promise<{ profile: TenantProfile; url: string }> | undefined

  async function startOnce(): Promise<{ profile: TenantProfile; url: string }> {
    let sandbox: RunningSandbox
    try {
      sandbox = await (deps.start ?? defaultStart)({ dataDir: join(deps.dataDir, 'sandbox'), tenants: 1, seedKeys: DEMO_KEYS, quiet: true })
    } catch (err) {
      deps.log.error('embedded sandbox failed to start', err)
      throw new CoreError('INTERNAL', 'The built-in sandbox could not start. Check that KeyDesk may listen on 127.0.0.1, then try again.')
    }
    const demo = sandbox.tenants[0]
    if (!demo) {
      await sandbox.close()
      throw new CoreError('INTERNAL', 'The built-in sandbox started without a demo tenant. Try again.')
    }
    try {
      const existing = (await deps.profiles.list()).find((p) => p.embedded && p.tenantId === demo.id)
      const profile: TenantProfile = existing
        ? { ...existing, baseUrl: sandbox.url, adminKeyPreview: maskKey(demo.admin_key) }
        : {
            id: randomUUID(),
            label: SANDBOX_LABEL,
            tenantId: demo.id,
            baseUrl: sandbox.url,
            environment: 'sandbox',
            color: ENVIRONMENT_COLORS.sandbox,
            adminKeyPreview: maskKey(demo.admin_key),
            createdAt: new Date(deps.now()).toISOString(),
            embedded: true
          }
      // Bound to this start's port: KeyDesk itself moved the demo tenant, so this is its own edit.
      await deps.adminKeys.bind(profile, demo.admin_key)
      await deps.profiles.put(profile)
      await deps.profiles.setActive(profile.id)
      deps.sessions.forget(profile.id)
      running = sandbox
      return { profile, url: sandbox.url }
    } catch (err) {
      await sandbox.close()
      throw err
    }
  }

  return {
    /** Idempotent: a second call while running returns the same tenant. */
    async start() {
      if (running) {
        const profile = (await deps.profiles.list()).find((p) => p.embedded && p.baseUrl === running!.url)
        if (profile) return { profile, url: running.url }
      }
      starting ??= startOnce().finally(() => {
        starting = undefined
      })
      return starting
    },
    isRunning: () => running !== undefined,
    url: () => running?.url ?? null,
    async stop() {
      const s = running
      running = undefined
      await s?.close()
    }
  }
}

export type EmbeddedSandbox = ReturnType<typeof createEmbeddedSandbox>

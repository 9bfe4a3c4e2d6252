import {
  KeychainAvailabilitySchema,
  KeychainReplySchema,
  type KeychainAvailability,
  type KeychainCall,
  type KeychainReply
} from './keychain-protocol'
import { forkKeychainWorker, type KeychainWorkerHandle, type KeychainWorkerLauncher } from './keychain-worker-launcher'
import { KEYCHAIN_PROBE_ACCOUNT } from './keychain-accounts'
import { KEYCHAIN_SERVICE, KeychainUnavailableError, type SecretStore } from './secret-store'

/** One sentence naming the fix for this OS. */
export function keychainHint(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'The macOS Keychain could not be used. Unlock your login keychain (Keychain Access) and allow KeyDesk access, then retry.'
    case 'win32':
      return 'Windows Credential Manager could not be used. Sign in to your Windows account normally (not a restricted session), then retry.'
    default:
      return 'No Secret Service answered. Install gnome-keyring (or another Secret Service such as KeePassXC) with libsecret, make sure it runs in your session and is unlocked, then retry.'
  }
}

/** The sentence for a keychain that holds items but will not open them. */
export function keychainLockedHint(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'The keychain is locked. Unlock your login keychain (Keychain Access), then choose Retry.'
    case 'win32':
      return 'The keychain is locked. Sign in to your Windows account normally, then choose Retry.'
    default:
      return 'The keychain is locked. Unlock your login keyring (for example in Passwords and Keys, or by signing in to your desktop again), then choose Retry.'
  }
}

/** Long enough for a person to answer an OS unlock prompt; a hung keychain is killed after it. */
const DEFAULT_CALL_TIMEOUT_MS = 60_000

export interface KeytarStoreOptions {
  /** How the worker process is started (Electron: utilityProcess; default: a Node child via tsx). */
  launch?: KeychainWorkerLauncher
  /** A call the worker has not answered by then is failed and the worker killed. */
  timeoutMs?: number
  platform?: NodeJS.Platform
}

interface Pending {
  worker: KeychainWorkerHandle
  resolve(reply: KeychainReply): void
  reject(err: Error): void
  timer: NodeJS.Timeout
}

export type KeytarSecretStore = Required<Pick<SecretStore, 'availability' | 'dispose'>> & SecretStore

/**
 * SecretStore on the OS keychain through keytar (service "keydesk", accounts as keychain-accounts.ts names them), with
 * every keytar call made in a separate worker process: a native crash there (a locked Linux
 * keyring) fails the pending calls with KEYCHAIN_UNAVAILABLE and main stays up. The worker is
 * started on first use and again on the next call after it died, so Retry works once unlocked.
 */
export function createKeytarSecretStore(service = KEYCHAIN_SERVICE, options: KeytarStoreOptions = {}): KeytarSecretStore {
  const launch = options.launch ?? forkKeychainWorker()
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS
  const platform = options.platform ?? process.platform
  const locked = () => new KeychainUnavailableError(keychainLockedHint(platform), 'locked')
  const unavailable = (hint = keychainHint(platform)) => new KeychainUnavailableError(hint, 'unavailable')

  let worker: KeychainWorkerHandle | undefined
  const pending = new Map<number, Pending>()
  let nextId = 1

  /** Fails the calls sent to one worker (or to any, on dispose). */
  const settleAll = (err: () => Error, of?: KeychainWorkerHandle) => {
    for (const [id, p] of pending) {
      if (of && p.worker !== of) continue
      clearTimeout(p.timer)
      pending.delete(id)
      p.reject(err())
    }
  }

  const start = (): KeychainWorkerHandle => {
    const w = launch()
    w.onMessage((raw) => {
      const parsed = KeychainReplySchema.safeParse(raw)
      if (!parsed.success) return // unanswerable; the call's timeout covers it
      const p = pending.get(parsed.data.id)
      if (!p) return
      clearTimeout(p.timer)
      pending.delete(parsed.data.id)
      if (![...pending.values()].some((q) => q.worker === w)) w.setBusy(false)
      p.resolve(parsed.data)
    })
    w.onExit(({ crashed }) => {
      if (worker === w) worker = undefined
      // Died of a signal under a call: the known cause is a locked keyring (keytar segfaults).
      // Any other end (it could not start, it exited) is a keychain we cannot use.
      settleAll(crashed ? locked : () => unavailable(`KeyDesk's keychain helper stopped. ${keychainHint(platform)}`), w)
    })
    return w
  }

  const call = (message: KeychainCall): Promise<KeychainReply> =>
    new Promise((resolve, reject) => {
      const w = (worker ??= start())
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        reject(unavailable(`The keychain did not answer within ${Math.round(timeoutMs / 1000)} s. ${keychainHint(platform)}`))
        // A hung worker may hold other calls too: they fail the same way, and it is ended.
        if (worker === w) worker = undefined
        settleAll(() => unavailable(`The keychain did not answer. ${keychainHint(platform)}`), w)
        w.kill()
      }, timeoutMs)
      pending.set(id, { worker: w, resolve, reject, timer })
      w.setBusy(true)
      w.send({ id, ...message })
    })

  /**
   * Ends an idle worker after the keychain failed it: libsecret keeps its first connection to
   * the Secret Service for the process's life, so Retry after an unlock or a restarted keyring
   * daemon needs a fresh process.
   */
  const recycle = () => {
    if (!worker || [...pending.values()].some((p) => p.worker === worker)) return
    worker.kill()
    worker = undefined
  }

  const probe = async (): Promise<KeychainAvailability> => {
    try {
      const reply = await call({ op: 'probe', service, account: KEYCHAIN_PROBE_ACCOUNT })
      if (!reply.ok) return 'unavailable'
      const parsed = KeychainAvailabilitySchema.safeParse(reply.value)
      return parsed.success ? parsed.data : 'unavailable'
    } catch (err) {
      return err instanceof KeychainUnavailableError ? err.reason : 'unavailable'
    }
  }
  const availability = async (): Promise<KeychainAvailability> => {
    const found = await probe()
    if (found !== 'available') recycle()
    return found
  }

  /** A refused call: the probe says whether the keychain is locked or not there at all. */
  const failure = async (reply: Extract<KeychainReply, { ok: false }>): Promise<Error> => {
    if (reply.failure === 'module') return unavailable(`KeyDesk's keychain module could not load. ${keychainHint(platform)}`)
    return (await availability()) === 'locked' ? locked() : unavailable()
  }

  const value = async (message: KeychainCall): Promise<KeychainReply & { ok: true }> => {
    const reply = await call(message)
    if (!reply.ok) throw await failure(reply)
    return reply
  }

  return {
    async get(account) {
      const { value: v } = await value({ op: 'get', service, account })
      if (typeof v === 'string') return v
      // A locked Secret Service answers "no such item" for items it holds: ask before saying so.
      if ((await availability()) === 'locked') throw locked()
      return null
    },
    async set(account, secret) {
      await value({ op: 'set', service, account, secret })
    },
    async delete(account) {
      const { value: v } = await value({ op: 'delete', service, account })
      return v === true
    },
    async list() {
      const { value: v } = await value({ op: 'list', service })
      return Array.isArray(v) ? v.filter((a) => a !== KEYCHAIN_PROBE_ACCOUNT) : []
    },
    availability,
    async dispose() {
      settleAll(() => unavailable('KeyDesk is shutting down.'))
      worker?.kill()
      worker = undefined
    }
  }
}

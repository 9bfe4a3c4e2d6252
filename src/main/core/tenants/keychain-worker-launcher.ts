import { fork } from 'node:child_process'
import { join } from 'node:path'

/** One running keychain worker, whatever kind of process hosts it (Node child, Electron utility). */
export interface KeychainWorkerHandle {
  send(message: unknown): void
  onMessage(listener: (message: unknown) => void): void
  /**
   * Called once, when the worker is gone for any reason. `crashed`: it died of a signal (a native
   * crash such as keytar's segfault on a locked keyring) rather than exiting or failing to start.
   */
  onExit(listener: (info: { crashed: boolean }) => void): void
  kill(): void
  /** While idle the worker must not keep a plain Node host (the CLI, a test) alive. */
  setBusy(busy: boolean): void
}
export type KeychainWorkerLauncher = () => KeychainWorkerHandle

/** Marks the forked process as the worker (keychain-worker.ts serves only then). */
export const KEYCHAIN_WORKER_ENV = { KEYDESK_KEYCHAIN_WORKER: '1' }

/**
 * Plain Node (npm run start:web, tests): fork the worker's TypeScript source through tsx. The
 * Electron shell forks the built worker with utilityProcess instead (src/main/electron/).
 */
export function forkKeychainWorker(
  modulePath = join(__dirname, 'keychain-worker.ts'),
  execArgv: string[] = modulePath.endsWith('.ts') ? ['--import', 'tsx'] : []
): KeychainWorkerLauncher {
  return () => {
    const child = fork(modulePath, [], {
      execArgv,
      env: { ...process.env, ...KEYCHAIN_WORKER_ENV },
      // The worker's own output is not ours to print (keytar/libsecret warnings); IPC carries replies.
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'json'
    })
    let gone = false
    const exitListeners: Array<(info: { crashed: boolean }) => void> = []
    const exited = (crashed: boolean) => {
      if (gone) return
      gone = true
      for (const l of exitListeners) l({ crashed })
    }
    child.on('exit', (_code, signal) => exited(signal !== null))
    child.on('error', () => exited(false))
    return {
      send: (message) => {
        if (!gone && child.connected)
          child.send(message as object, (err) => {
            if (!err) return
            child.kill('SIGKILL')
            exited(false)
          })
      },
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void exitListeners.push(listener),
      kill: () => void child.kill('SIGKILL'),
      setBusy: (busy) => {
        if (busy) {
          child.ref()
          child.channel?.ref()
        } else {
          child.unref()
          child.channel?.unref()
        }
      }
    }
  }
}

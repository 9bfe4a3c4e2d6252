import { utilityProcess } from 'electron'
import { join } from 'node:path'
import { KEYCHAIN_WORKER_ENV, type KeychainWorkerLauncher } from '../core/tenants/keychain-worker-launcher'

/**
 * The keychain worker in the packaged app: an Electron utility process running the built
 * out/main/keychain-worker.js. Not child_process.fork: that needs ELECTRON_RUN_AS_NODE, which the
 * runAsNode fuse turns off (electron-builder.yml).
 */
export function utilityKeychainWorker(modulePath = join(__dirname, 'keychain-worker.js')): KeychainWorkerLauncher {
  return () => {
    const child = utilityProcess.fork(modulePath, [], {
      serviceName: 'KeyDesk keychain',
      env: { ...process.env, ...KEYCHAIN_WORKER_ENV },
      stdio: 'ignore'
    })
    let gone = false
    const exitListeners: Array<(info: { crashed: boolean }) => void> = []
    // A utility process reports only an exit code; a native crash is never a clean 0.
    child.on('exit', (code) => {
      if (gone) return
      gone = true
      for (const l of exitListeners) l({ crashed: code !== 0 })
    })
    return {
      send: (message) => void child.postMessage(message),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void exitListeners.push(listener),
      kill: () => void child.kill(),
      // Electron owns the utility process's lifetime (it ends with the app).
      setBusy: () => {}
    }
  }
}

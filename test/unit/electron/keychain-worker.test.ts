import { describe, expect, it } from 'vitest'
import { withFakeElectron } from '../../fixtures/fake-electron'

// The packaged app's keychain worker is a utilityProcess (runAsNode is fused off, so no
// child_process.fork of Electron): forked with the worker flag, its exit mapped to "crashed".
describe('utilityKeychainWorker', () => {
  it('forks the built worker as a utility process, relays messages, and reports a non-zero exit as a crash once', async () => {
    const fake = withFakeElectron()
    const { utilityKeychainWorker } = await import('../../../src/main/electron/keychain-worker')
    const forks = fake.state.forks
    const handle = utilityKeychainWorker('/app/out/main/keychain-worker.js')()
    expect(forks[0]).toMatchObject({ path: '/app/out/main/keychain-worker.js', options: { env: { KEYDESK_KEYCHAIN_WORKER: '1' } } })
    const child = forks[0]!.child
    const got: unknown[] = []
    const exits: unknown[] = []
    handle.onMessage((m) => got.push(m))
    handle.onExit((info) => exits.push(info))
    handle.send({ id: 1, op: 'probe' })
    expect(child.posted).toEqual([{ id: 1, op: 'probe' }])
    child.emit('message', { id: 1, ok: true, value: 'available' })
    expect(got).toEqual([{ id: 1, ok: true, value: 'available' }])
    child.emit('exit', 139)
    child.emit('exit', 139)
    expect(exits).toEqual([{ crashed: true }])
    handle.kill()
    expect(child.killed).toBe(true)
  })
})

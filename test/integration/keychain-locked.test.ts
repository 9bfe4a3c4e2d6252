import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// Issue 12 B4: a login keyring that holds items and stays locked (unlocked with the wrong
// password, and no prompt can be shown) makes keytar's findCredentials segfault its process.
// Each step runs in its own private D-Bus session and gnome-keyring sharing one keyring folder.
const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0
const canRun = process.platform === 'linux' && has('dbus-run-session') && has('gnome-keyring-daemon')
const required = process.env.KEYDESK_REQUIRE_KEYCHAIN === '1'

const home = mkdtempSync(join(tmpdir(), 'keydesk-locked-keyring-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

/** Starts a session whose login keyring is unlocked with `password`, then runs the fixture. */
function inSession(password: string, mode: 'seed' | 'probe', unlockWith = '') {
  const script = 'printf %s "$KEYDESK_TEST_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"'
  const run = spawnSync(
    'dbus-run-session',
    ['--', 'sh', '-c', script, 'sh', process.execPath, '--import', 'tsx', 'test/fixtures/locked-keychain-probe.ts', mode],
    {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        XDG_DATA_HOME: home,
        KEYDESK_TEST_PASSWORD: password,
        KEYDESK_TEST_UNLOCK: unlockWith,
        DISPLAY: '',
        DBUS_SESSION_BUS_ADDRESS: ''
      }
    }
  )
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr }
}

describe.skipIf(!canRun && !required)('a locked keychain (gnome-keyring)', () => {
  it('keeps KeyDesk up: app.info and every call answer "locked", and Retry works once unlocked', () => {
    const seeded = inSession('right-password', 'seed')
    expect(seeded.status, seeded.stderr).toBe(0)
    expect(JSON.parse(seeded.stdout)).toEqual({ seeded: 'seeded-secret-value' })

    const run = inSession('wrong-password', 'probe', 'right-password')
    // The process that holds the core survived: before the fix it segfaulted (status 139 through dbus-run-session).
    expect(run.signal, run.stderr).toBeNull()
    expect(run.status, run.stderr).toBe(0)
    const { before, after } = JSON.parse(run.stdout)

    expect(before.info).toMatchObject({ ok: true, data: { keychain: 'locked' } })
    expect(before.list.rejected).toMatchObject({ name: 'KeychainUnavailableError', reason: 'locked' })
    expect(before.list.rejected.message).toMatch(/^The keychain is locked/)
    // Not "no admin key": a locked keyring hides its items, and that is said as such.
    expect(before.get.rejected).toMatchObject({ reason: 'locked' })
    expect(before.add).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } })
    expect(before.add.error.message).toMatch(/^The keychain is locked/)
    expect(JSON.stringify(before)).not.toContain('locked-admin-key-not-real')

    expect(after.unlocked).toBe(0)
    expect(after.info).toMatchObject({ ok: true, data: { keychain: 'available' } })
    expect(after.get).toEqual({ resolved: 'seeded-secret-value' })
    expect(after.list.resolved).toEqual(['seeded'])
  })
})

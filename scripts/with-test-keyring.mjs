#!/usr/bin/env node
// Runs a command (the test suites) where an OS keychain is reachable. On Linux without a D-Bus
// session (CI, SSH, containers) it starts a private session bus and a throwaway, unlocked
// gnome-keyring whose files live in a temp dir removed afterwards; elsewhere it runs the command as is.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const [cmd, ...args] = process.argv.slice(2)
if (!cmd) {
  process.stderr.write('usage: with-test-keyring <command> [args...]\n')
  process.exit(2)
}
const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0
const needsBus = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.KEYDESK_IN_KEYRING

let result
if (needsBus && has('dbus-run-session') && has('gnome-keyring-daemon')) {
  const home = mkdtempSync(join(tmpdir(), 'keydesk-keyring-'))
  // A random password creates and unlocks this private session's new login keyring.
  const script = 'head -c 24 /dev/urandom | base64 | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true; exec "$@"'
  result = spawnSync('dbus-run-session', ['--', 'sh', '-c', script, 'sh', cmd, ...args], {
    stdio: 'inherit',
    env: { ...process.env, XDG_DATA_HOME: home, KEYDESK_IN_KEYRING: '1' }
  })
  rmSync(home, { recursive: true, force: true })
} else {
  if (needsBus)
    process.stderr.write('with-test-keyring: no D-Bus session and no dbus-run-session/gnome-keyring-daemon; keychain tests will be skipped.\n')
  result = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' })
}
process.exit(result.status ?? 1)

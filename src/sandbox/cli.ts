#!/usr/bin/env node
/**
 * The MeshQu sandbox from the command line:
 *   tsx src/sandbox/cli.ts --port 4010 --tenants 2 --seed-keys 50 --credentials-out creds.json
 * Exit codes: 0 stopped cleanly, 1 failed to start, 2 bad flags.
 */
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { atomicWriteFile } from './persist'
import { startSandbox, type SandboxHandle } from './index'

export const USAGE = `Usage: tsx src/sandbox/cli.ts [options]

A MeshQu-compatible API sandbox on 127.0.0.1 (keys are mqu_test_…).

Options:
  --port <n>             port to listen on; 0 picks a free one (default 0)
  --host <addr>          address to bind (default 127.0.0.1)
  --tenants <n>          tenants to provision (default 2)
  --seed-keys <n>        keys each new tenant starts with, admin key included (default 25)
  --rate-limit <n>       post-auth requests per window per tenant + key (default 1000)
  --pre-auth-limit <n>   pre-auth requests per window per client IP (default 10000)
  --window-seconds <n>   rate-limit window length in seconds (default 60)
  --credentials-out <f>  write {"url","tenants":[{"id","name","admin_key"}]} to <f> (mode 0600)
  --data-dir <dir>       persist state in <dir> and reload it on the next start
  --quiet                print nothing but errors
  -h, --help             show this help

Control routes (loopback only): POST /__sandbox/tenants, POST /__sandbox/tenants/:id/seed,
POST /__sandbox/tenants/:id/present, PUT /__sandbox/limits, PUT|DELETE /__sandbox/faults,
GET /__sandbox/state. New tenants with 9+ keys include one key per radar category.
`

export class UsageError extends Error {}

export interface CliOptions {
  help: boolean
  port: number
  host: string
  tenants: number
  seedKeys: number
  rateLimit: number
  preAuthLimit: number
  windowSeconds: number
  credentialsOut?: string
  dataDir?: string
  quiet: boolean
}

function intFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be a whole number, got "${raw}"`)
  const n = Number(raw)
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`)
  return n
}

/** Parse and validate argv (without node and script). Throws UsageError on bad input. */
export function parseCliArgs(argv: string[]): CliOptions {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        tenants: { type: 'string' },
        'seed-keys': { type: 'string' },
        'rate-limit': { type: 'string' },
        'pre-auth-limit': { type: 'string' },
        'window-seconds': { type: 'string' },
        'credentials-out': { type: 'string' },
        'data-dir': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false }
      }
    }))
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const nonEmpty = (name: string, v: string | undefined) => {
    if (v !== undefined && v.trim() === '') throw new UsageError(`--${name} needs a value`)
    return v
  }
  return {
    help: values.help ?? false,
    port: intFlag('port', values.port, 0, 0, 65_535),
    host: nonEmpty('host', values.host) ?? '127.0.0.1',
    tenants: intFlag('tenants', values.tenants, 2, 0, 1000),
    seedKeys: intFlag('seed-keys', values['seed-keys'], 25, 0, 100_000),
    rateLimit: intFlag('rate-limit', values['rate-limit'], 1000, 1, 1_000_000_000),
    preAuthLimit: intFlag('pre-auth-limit', values['pre-auth-limit'], 10_000, 1, 1_000_000_000),
    windowSeconds: intFlag('window-seconds', values['window-seconds'], 60, 1, 86_400),
    credentialsOut: nonEmpty('credentials-out', values['credentials-out']),
    dataDir: nonEmpty('data-dir', values['data-dir']),
    quiet: values.quiet ?? false
  }
}

export async function main(argv: string[]): Promise<number> {
  let opts: CliOptions
  try {
    opts = parseCliArgs(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`sandbox: ${err.message}\nRun with --help for the options.\n`)
    return 2
  }
  if (opts.help) {
    process.stdout.write(USAGE)
    return 0
  }

  let sandbox: SandboxHandle
  try {
    sandbox = await startSandbox({
      port: opts.port,
      host: opts.host,
      tenants: opts.tenants,
      seedKeys: opts.seedKeys,
      rateLimit: opts.rateLimit,
      preAuthLimit: opts.preAuthLimit,
      windowSeconds: opts.windowSeconds,
      dataDir: opts.dataDir,
      quiet: opts.quiet
    })
  } catch (err) {
    process.stderr.write(`sandbox: could not start: ${(err as Error).message}\n`)
    return 1
  }

  if (opts.credentialsOut) {
    const creds = { url: sandbox.url, tenants: sandbox.tenants.map(({ id, name, admin_key }) => ({ id, name, admin_key })) }
    try {
      await atomicWriteFile(resolve(opts.credentialsOut), `${JSON.stringify(creds, null, 2)}\n`, 0o600)
    } catch (err) {
      process.stderr.write(`sandbox: could not write ${opts.credentialsOut}: ${(err as Error).message}\n`)
      await sandbox.close()
      return 1
    }
  }

  if (!opts.quiet) {
    const lines = [`MeshQu sandbox listening on ${sandbox.url}`, '']
    for (const t of sandbox.tenants) {
      lines.push(`  tenant ${t.name}`, `    id:        ${t.id}`, `    admin key: ${t.admin_key}`)
    }
    if (opts.credentialsOut) lines.push('', `Credentials written to ${resolve(opts.credentialsOut)}`)
    if (opts.dataDir) lines.push(`State persisted in ${resolve(opts.dataDir)}`)
    lines.push('', 'Press Ctrl+C to stop.', '')
    process.stdout.write(lines.join('\n'))
  }

  return new Promise<number>((done) => {
    let stopping = false
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return
      stopping = true
      if (!opts.quiet) process.stdout.write(`\n${signal}: stopping the sandbox…\n`)
      sandbox.close().then(
        () => done(0),
        (err: unknown) => {
          process.stderr.write(`sandbox: error while stopping: ${(err as Error).message}\n`)
          done(1)
        }
      )
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}

const isEntry = (() => {
  const entry = process.argv[1]
  if (!entry) return false
  return /[\\/]sandbox[\\/]cli\.(ts|js|mjs|cjs)$/.test(entry)
})()

if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`sandbox: ${(err as Error)?.stack ?? String(err)}\n`)
      process.exit(1)
    }
  )
}

// The keychain worker: the only process that loads keytar. A locked Linux keyring makes keytar's
// findCredentials segfault, and a native crash cannot be caught, so keytar lives here, where a
// crash ends this process only; the owner in main (keytar-store.ts) reports it and forks anew.
// Run as a child_process.fork child (Node, tsx) or an Electron utilityProcess (packaged app).
import { KeychainRequestSchema, type KeychainAvailability, type KeychainReply, type KeychainRequest } from './keychain-protocol'

type Keytar = typeof import('keytar')

/** A value the probe writes only when its account is empty: it is a marker, not a secret. */
const PROBE_MARKER = 'keydesk keychain probe'

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

/** Reads the probe account; an empty one is written once, which a locked keyring refuses. */
export async function probe(keytar: Keytar, service: string, account: string): Promise<KeychainAvailability> {
  let value: string | null
  try {
    value = await keytar.getPassword(service, account)
  } catch {
    return 'unavailable'
  }
  if (value !== null) return 'available'
  // A locked libsecret collection answers reads with "nothing" instead of an error, so only a
  // write tells locked from empty. Nothing is enumerated.
  try {
    await keytar.setPassword(service, account, PROBE_MARKER)
    return 'available'
  } catch {
    return 'locked'
  }
}

export async function handle(load: () => Promise<Keytar>, request: KeychainRequest): Promise<KeychainReply> {
  let keytar: Keytar
  try {
    keytar = await load()
  } catch {
    return { id: request.id, ok: false, failure: 'module' }
  }
  try {
    switch (request.op) {
      case 'get':
        return { id: request.id, ok: true, value: await keytar.getPassword(request.service, request.account) }
      case 'set':
        await keytar.setPassword(request.service, request.account, request.secret)
        return { id: request.id, ok: true, value: null }
      case 'delete':
        return { id: request.id, ok: true, value: await keytar.deletePassword(request.service, request.account) }
      case 'list':
        return { id: request.id, ok: true, value: (await keytar.findCredentials(request.service)).map((c) => c.account) }
      case 'probe':
        return { id: request.id, ok: true, value: await probe(keytar, request.service, request.account) }
    }
  } catch {
    return { id: request.id, ok: false, failure: 'failed' }
  }
}

let cached: Promise<Keytar> | undefined
const loadKeytar = () =>
  (cached ??= import('keytar')
    .then((mod: Keytar & { default?: Keytar }) => mod.default ?? mod)
    .catch((err: unknown) => {
      cached = undefined
      throw err
    }))

function serve() {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort
  const reply = (message: KeychainReply) => (parentPort ? parentPort.postMessage(message) : process.send?.(message))
  const onRequest = (raw: unknown) => {
    const parsed = KeychainRequestSchema.safeParse(raw)
    // An id-less or malformed request cannot be answered; the owner's timeout covers it.
    if (!parsed.success) return
    void handle(loadKeytar, parsed.data).then(reply)
  }
  if (parentPort) parentPort.on('message', (event) => onRequest(event.data))
  else if (process.send) {
    process.on('message', onRequest)
    // The owner went away (main exited): nothing is left to serve.
    process.on('disconnect', () => process.exit(0))
  }
}

// Only as a process entry: importing the module (tests of probe/handle) serves nothing.
if (process.env.KEYDESK_KEYCHAIN_WORKER === '1') serve()

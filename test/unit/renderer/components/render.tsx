import { QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import { cleanup, configure, render } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { ReactElement } from 'react'
import { afterEach } from 'vitest'
import { createBridge } from '../../../../src/shared/bridge'
import { contract, type Channel } from '../../../../src/shared/contract'
import { replySchema, type Fail, type FailMeta, type Reply } from '../../../../src/shared/envelope'
import type { AppError } from '../../../../src/shared/errors'
import type { ApiKey } from '../../../../src/shared/meshqu'
import { DEFAULT_LEVELS, type TenantView } from '../../../../src/shared/tenants'
import type { StoredList } from '../../../../src/renderer/src/features/keys/queries'
import { createQueryClient } from '../../../../src/renderer/src/lib/query-client'
import { qk } from '../../../../src/renderer/src/lib/query-keys'
import { useUi } from '../../../../src/renderer/src/lib/store'

// findBy… waits 1 s by default; on a busy 2-core machine a render after a fake reply can take longer.
configure({ asyncUtilTimeout: 4_000 })

// jsdom has <dialog> but not its modal API; the app's Dialog needs showModal and `open`.
const proto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal?: () => void }
if (typeof proto.showModal !== 'function') {
  Object.defineProperty(proto, 'open', {
    configurable: true,
    get(this: HTMLDialogElement) {
      return this.hasAttribute('open')
    }
  })
  proto.showModal = function (this: HTMLDialogElement) {
    this.setAttribute('open', '')
  }
  proto.close = function (this: HTMLDialogElement) {
    this.removeAttribute('open')
  }
}

/**
 * What a fake said that main never could: a payload main's contract refuses, or a reply that is not
 * the channel's output. Main checks both over the real transports; here a test fails on them.
 */
const offContract: string[] = []

afterEach(() => {
  const off = offContract.splice(0)
  if (off.length) throw new Error(`Off the contract:\n${off.join('\n')}`)
})

afterEach(() => {
  cleanup()
  useUi.setState({ dialog: null, returnFocus: null, focusAfterClose: null, checked: new Set(), bulkJob: null, selectedKeyId: null })
})

export const ok = <T,>(data: T, meta: Partial<Extract<Reply<T>, { ok: true }>['meta']> = {}): Reply<T> => ({
  ok: true,
  data,
  meta: { tenantId: null, servedFrom: 'network', syncedAt: 1, ...meta }
})
export const fail = (error: AppError, meta?: FailMeta): Fail => (meta ? { ok: false, error, meta } : { ok: false, error })

type Fake = (payload: unknown) => Reply<unknown> | Promise<Reply<unknown>>

export function tenantView(over: Partial<TenantView> = {}): TenantView {
  return {
    id: 'p1',
    label: 'acme-staging',
    tenantId: '123e4567-e89b-12d3-a456-426614174000',
    baseUrl: 'https://api.meshqu.test',
    environment: 'staging',
    color: '#f59e0b',
    adminKeyPreview: 'mqu_live_...ADMN',
    createdAt: '2026-01-01T00:00:00.000Z',
    embedded: false,
    status: 'online',
    level: DEFAULT_LEVELS[over.environment ?? 'staging'],
    ...over
  }
}

/**
 * Renders a piece of the renderer against a fake window.keydesk: the real bridge (createBridge)
 * over a fake invoke that answers from `fakes` and records every call. Channels without a fake
 * fail loudly with INTERNAL, so a test never passes on a call it did not expect.
 */
export function renderWithKeyDesk(
  ui: ReactElement,
  options: { fakes?: Partial<Record<Channel, Fake>>; keys?: { tenant: string; keys: ApiKey[]; servedFrom?: 'network' | 'store' } } = {}
) {
  const calls: { channel: Channel; payload: unknown }[] = []
  window.keydesk = createBridge(async (channel, payload) => {
    calls.push({ channel, payload })
    const fake = options.fakes?.[channel]
    if (!fake) return { ok: false, error: { code: 'INTERNAL', message: `no fake for ${channel}` } }
    const input = contract[channel].input.safeParse(payload)
    if (!input.success) offContract.push(`${channel} was sent ${JSON.stringify(payload)}: ${input.error.message}`)
    const reply = await fake(payload)
    const shape = replySchema(contract[channel].output).safeParse(reply)
    if (!shape.success) offContract.push(`${channel}'s fake replied ${JSON.stringify(reply).slice(0, 300)}: ${shape.error.message}`)
    return reply
  })
  const qc: QueryClient = createQueryClient()
  if (options.keys) {
    const { tenant, keys, servedFrom = 'network' } = options.keys
    qc.setQueryData(qk.keys(tenant), { data: { keys, total: keys.length, pages: 1 }, meta: { tenantId: tenant, servedFrom, syncedAt: 1 } })
    qc.setQueryData(qk.storedKeys(tenant), { keys, syncedAt: 1 } satisfies StoredList)
  }
  const user = userEvent.setup()
  const view = render(<QueryClientProvider client={qc}>{ui}</QueryClientProvider>)
  const callsTo = (channel: Channel) => calls.filter((c) => c.channel === channel).map((c) => c.payload)
  return { ...view, qc, user, calls, callsTo }
}

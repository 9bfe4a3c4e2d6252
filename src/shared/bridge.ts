import { CHANNELS, type Channel, type ChannelInput, type ChannelOutput, type Contract } from './contract'
import type { Reply } from './envelope'
import { parseEventBatch, type SubscribeEvents } from './events'

/** The transport: Electron's ipcRenderer.invoke, or the e2e harness's exposed function. */
export type Invoke = (channel: Channel, payload: unknown) => Promise<unknown>

type AreaOf<C extends string> = C extends `${infer A}.${string}` ? A : never

type Method<C extends Channel> =
  undefined extends ChannelInput<C>
    ? (input?: ChannelInput<C>) => Promise<Reply<ChannelOutput<C>>>
    : (input: ChannelInput<C>) => Promise<Reply<ChannelOutput<C>>>

/** window.keydesk: one typed method per contract entry, grouped by area (keys.create, …). */
export type ChannelApi = {
  readonly [A in AreaOf<Channel>]: {
    readonly [C in Channel as C extends `${A}.${infer O}` ? O : never]: Method<C>
  }
}

/** Main's event stream (src/shared/events.ts): batches checked on arrival, and the link's state. */
export interface EventsApi {
  readonly subscribe: SubscribeEvents
}

export type KeyDeskApi = ChannelApi & { readonly events: EventsApi }

/** A transport with no stream (a test's fake invoke): nobody is ever told anything. */
const noEvents: SubscribeEvents = () => () => {}

/**
 * The bridge over one transport's invoke and, where it has one, its event stream. Every batch is
 * checked against the schema here, on the renderer's side of every transport, as replies are
 * checked in main; a batch that breaks it is dropped whole.
 */
export function createBridge(invoke: Invoke, subscribe: SubscribeEvents = noEvents): KeyDeskApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {}
  for (const channel of CHANNELS) {
    const [area, op] = channel.split('.') as [string, string]
    const group = (api[area] ??= {})
    group[op] = (input?: unknown) => invoke(channel, input)
  }
  for (const group of Object.values(api)) Object.freeze(group)
  const events: EventsApi = Object.freeze({
    subscribe: ((onBatch, onLink) =>
      subscribe((raw) => {
        const batch = parseEventBatch(raw)
        if (batch) onBatch(batch)
      }, onLink)) satisfies SubscribeEvents
  })
  return Object.freeze({ ...api, events }) as unknown as KeyDeskApi
}

export type { Contract }

// @vitest-environment jsdom
import { act, screen, waitFor } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { KeysView } from '../../../../src/renderer/src/features/keys/KeysView'
import { FIRST_ROWS, useKeys } from '../../../../src/renderer/src/features/keys/queries'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { DEFAULT_SORT, sortKeys } from '../../../../src/shared/key-view'
import type { Reply } from '../../../../src/shared/envelope'
import { makeKey } from '../../../fixtures/keys'
import { ok, renderWithKeyDesk, tenantView } from './render'

/**
 * A cold switch paints the fleet store's first rows (keys.fromStoreHead) before the whole list
 * (keys.fromStore) has crossed: the view says the list's real size and that the rest is loading, and
 * what acts on the whole list waits for it.
 */
const DAY = 24 * 60 * 60 * 1000
const base = Date.parse('2026-01-01T00:00:00Z')
const all = Array.from({ length: 250 }, (_, i) =>
  makeKey(`k${String(i).padStart(3, '0')}`, { name: `key-${i}`, created_at: new Date(base + (i % 40) * DAY).toISOString() })
)
const head = sortKeys(all, DEFAULT_SORT, Date.now()).slice(0, 3)
const counts = { active: 200, expiring: 20, expired: 10, revoked: 20 }

/** A reply the test sends when it chooses. */
function later<T>() {
  let send!: (r: Reply<T>) => void
  const reply = new Promise<Reply<T>>((resolve) => (send = resolve))
  return { reply, send }
}

const baseFakes = {
  'keys.pendingRotations': () => ok({ pending: [] }),
  'ratelimit.status': () => ok({ tenant: 'p1', current: null, preAuth: null, pacing: { waitingUntil: null, reason: null }, history: [] })
}

beforeEach(() => {
  act(() => useUi.setState({ filter: { text: '', statuses: [], scopes: [] }, sort: DEFAULT_SORT, activeTenantId: 'p1' }))
})

describe('cold switch: the first rows first', () => {
  it('asks for the head before the list in the fleet store, paints it with the stored total and counts, and waits for the rest to act on the list', async () => {
    const stored = later<unknown>()
    const first = later<unknown>()
    const view = renderWithKeyDesk(<KeysView tenant={tenantView()} />, {
      fakes: {
        ...baseFakes,
        'keys.fromStoreHead': () => first.reply,
        'keys.fromStore': () => stored.reply,
        'keys.listAll': () => new Promise<never>(() => {})
      }
    })
    // The whole list from the fleet store is not asked for while the head is on its way: main would read and
    // send it first, and the few rows would wait behind it.
    await waitFor(() => expect(view.callsTo('keys.fromStoreHead')).toHaveLength(1))
    await new Promise((r) => setTimeout(r, 50))
    expect(view.callsTo('keys.fromStore')).toHaveLength(0)
    first.send(ok({ keys: head, total: all.length, counts, syncedAt: 5 }, { servedFrom: 'local' }) as Reply<unknown>)
    await screen.findByText('250 keys')
    const order = view.calls.map((c) => c.channel).filter((c) => c.startsWith('keys.fromStore'))
    expect(order).toEqual(['keys.fromStoreHead', 'keys.fromStore'])
    expect(view.callsTo('keys.fromStoreHead')[0]).toMatchObject({ tenant: 'p1', limit: FIRST_ROWS })
    expect(typeof (view.callsTo('keys.fromStoreHead')[0] as { now?: unknown }).now).toBe('number')

    // Honest while partial: the list's size, the store's counts, and a polite "loading the rest".
    expect(screen.getByText('First 3 shown; loading the rest…').getAttribute('role')).toBe('status')
    const grid = screen.getByRole('grid', { name: 'API keys' })
    expect(grid.getAttribute('aria-rowcount')).toBe('251')
    expect(screen.getByRole('button', { name: 'Active 220' })).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Revoked 20' })).toBeTruthy()
    expect(screen.getByRole('searchbox', { name: 'Search keys' })).toBeTruthy()
    // What acts on the whole list waits for it.
    const disabled = (el: HTMLElement) => (el as HTMLButtonElement | HTMLInputElement).disabled
    expect(disabled(screen.getByRole('checkbox', { name: 'Select all keys in this view' }))).toBe(true)
    expect(disabled(screen.getByRole('button', { name: /^Name/ }))).toBe(true)
    expect(disabled(screen.getByRole('button', { name: 'Export CSV' }))).toBe(true)
    expect(disabled(screen.getByRole('button', { name: 'Create key' }))).toBe(true)

    // The whole list from the fleet store arrives: the same count, no status, everything enabled.
    await act(async () => stored.send(ok({ keysJson: JSON.stringify(all), syncedAt: 5 }, { servedFrom: 'local' })))
    await waitFor(() => expect(screen.queryByText(/loading the rest/)).toBeNull())
    expect(screen.getByText('250 keys')).toBeTruthy()
    expect(grid.getAttribute('aria-rowcount')).toBe('251')
    expect(disabled(screen.getByRole('checkbox', { name: 'Select all keys in this view' }))).toBe(false)
    expect(disabled(screen.getByRole('button', { name: /^Name/ }))).toBe(false)
    expect(disabled(screen.getByRole('button', { name: 'Export CSV' }))).toBe(false)
  })

  it('waits for the head whoever asks for the whole list: the frame (header, status bar) reads the same list', async () => {
    const first = later<unknown>()
    // The app's frame calls useKeys for the active tenant too, without a head of its own, and
    // renders around the view: its query for the list in the fleet store starts in the same commit.
    function Frame() {
      useKeys('p1')
      return <KeysView tenant={tenantView()} />
    }
    const view = renderWithKeyDesk(<Frame />, {
      fakes: {
        ...baseFakes,
        'keys.fromStoreHead': () => first.reply,
        'keys.fromStore': () => ok({ keysJson: JSON.stringify(all), syncedAt: 5 }, { servedFrom: 'local' }),
        'keys.listAll': () => new Promise<never>(() => {})
      }
    })
    await waitFor(() => expect(view.callsTo('keys.fromStoreHead')).toHaveLength(1))
    await new Promise((r) => setTimeout(r, 50))
    expect(view.callsTo('keys.fromStore')).toHaveLength(0)
    first.send(ok({ keys: head, total: all.length, counts, syncedAt: 5 }, { servedFrom: 'local' }) as Reply<unknown>)
    await waitFor(() => expect(view.callsTo('keys.fromStore')).toHaveLength(1))
    await waitFor(() => expect(screen.queryByText(/loading the rest/)).toBeNull())
    expect(screen.getByText('250 keys')).toBeTruthy()
  })

  it('skips the head when the view is sorted or filtered otherwise, and waits for the whole list', async () => {
    for (const ui of [
      { sort: { column: 'name', direction: 'asc' } as const },
      { filter: { text: '', statuses: ['revoked' as const], scopes: [] } }
    ]) {
      act(() => useUi.setState(ui))
      const view = renderWithKeyDesk(<KeysView tenant={tenantView()} />, {
        fakes: {
          ...baseFakes,
          'keys.fromStoreHead': () => ok({ keys: head, total: all.length, counts, syncedAt: 5 }),
          'keys.fromStore': () => ok({ keysJson: JSON.stringify(all), syncedAt: 5 }, { servedFrom: 'local' }),
          'keys.listAll': () => new Promise<never>(() => {})
        }
      })
      // The whole list from the fleet store, sorted or filtered as asked.
      await screen.findByText(/250 keys$/)
      expect(view.callsTo('keys.fromStoreHead')).toEqual([])
      expect(screen.queryByText(/loading the rest/)).toBeNull()
      view.unmount()
      act(() => useUi.setState({ filter: { text: '', statuses: [], scopes: [] }, sort: DEFAULT_SORT }))
    }
  })

  it('a head holding the whole list is the list: no "loading the rest"', async () => {
    const small = all.slice(0, 3)
    renderWithKeyDesk(<KeysView tenant={tenantView()} />, {
      fakes: {
        ...baseFakes,
        'keys.fromStoreHead': () => ok({ keys: small, total: 3, counts: { active: 3, expiring: 0, expired: 0, revoked: 0 }, syncedAt: 5 }),
        'keys.fromStore': () => new Promise<never>(() => {}),
        'keys.listAll': () => new Promise<never>(() => {})
      }
    })
    await screen.findByText('3 keys')
    expect(screen.queryByText(/loading the rest/)).toBeNull()
    expect((screen.getByRole('checkbox', { name: 'Select all keys in this view' }) as HTMLInputElement).disabled).toBe(false)
  })
})

// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { Dialogs } from '../../../../src/renderer/src/app/Dialogs'
import { neighbourAfterRemoval } from '../../../../src/renderer/src/features/tenants/removal'
import { Sidebar } from '../../../../src/renderer/src/features/tenants/Sidebar'
import { useUi } from '../../../../src/renderer/src/lib/store'
import { ok, renderWithKeyDesk, tenantView } from './render'

const prod = tenantView({ id: 'prod', label: 'acme-prod', environment: 'production' })
const s1 = tenantView({ id: 's1', label: 'acme-staging' })
const s2 = tenantView({ id: 's2', label: 'beta-staging' })

function renderFrame(list: (typeof prod)[], onSelect = vi.fn()) {
  const r = renderWithKeyDesk(
    <>
      <Sidebar tenants={list} onSelect={onSelect} />
      <Dialogs tenant={list.find((t) => t.id === useUi.getState().activeTenantId) ?? null} tenants={list} onSelect={onSelect} />
    </>,
    {
      fakes: {
        'tenants.remove': (p) => ok({ removed: (p as { tenant: string }).tenant }),
        'fleet.counts': () => ok({ tenants: [] }),
        'tenants.list': () => ok({ tenants: list, activeId: null, warnings: [] })
      }
    }
  )
  return { ...r, onSelect }
}

describe('removing a tenant (issue 13 §2.14, §2.8)', () => {
  it('goes to the neighbour in the same group, never into another environment', () => {
    expect(neighbourAfterRemoval([prod, s1, s2], 's1')).toBe('s2')
    expect(neighbourAfterRemoval([prod, s1, s2], 's2')).toBe('s1')
    expect(neighbourAfterRemoval([prod, s1], 's1')).toBeNull()
  })

  it('the last staging tenant removed leaves nothing selected (not production), focus on the sidebar', async () => {
    act(() => useUi.setState({ activeTenantId: 's1' }))
    const { user, onSelect } = renderFrame([prod, s1])
    act(() => useUi.getState().openDialog({ kind: 'remove-tenant', tenantId: 's1' }))
    await user.click(within(screen.getByRole('dialog', { name: 'Remove tenant' })).getByRole('button', { name: 'Remove acme-staging' }))
    await vi.waitFor(() => expect(useUi.getState().dialog).toBeNull())
    expect(useUi.getState().activeTenantId).toBeNull()
    expect(onSelect).not.toHaveBeenCalled()
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /Add tenant/ }))
  })

  it('with a neighbour in the group: selects it and focuses its sidebar entry', async () => {
    act(() => useUi.setState({ activeTenantId: 's1' }))
    const { user, onSelect } = renderFrame([prod, s1, s2])
    act(() => useUi.getState().openDialog({ kind: 'remove-tenant', tenantId: 's1' }))
    await user.click(within(screen.getByRole('dialog', { name: 'Remove tenant' })).getByRole('button', { name: 'Remove acme-staging' }))
    await vi.waitFor(() => expect(useUi.getState().dialog).toBeNull())
    expect(onSelect).toHaveBeenCalledWith('s2')
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'beta-staging' }))
  })

  it('a dialog opened from another returns focus where the first one came from', () => {
    const origin = document.createElement('button')
    document.body.append(origin)
    origin.focus()
    act(() => useUi.getState().openDialog({ kind: 'edit-tenant', tenantId: 's1' }))
    const inner = document.createElement('button')
    document.body.append(inner)
    inner.focus()
    act(() => useUi.getState().openDialog({ kind: 'remove-tenant', tenantId: 's1' }))
    expect(useUi.getState().returnFocus).toBe(origin)
    origin.remove()
    inner.remove()
  })
})

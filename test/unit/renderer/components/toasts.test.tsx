// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TOAST_MS, Toasts, useToasts } from '../../../../src/renderer/src/ui/Toast'

beforeEach(() => {
  vi.useFakeTimers()
  useToasts.setState({ toasts: [] })
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

describe('Toasts', () => {
  it('a confirmation goes by itself after a few seconds; an error stays until dismissed', () => {
    render(<Toasts />)
    act(() => {
      useToasts.getState().show('Key billing revoked.')
      useToasts.getState().show('Could not save the report.', 'error')
    })
    expect(screen.getByText('Key billing revoked.')).toBeTruthy()
    act(() => void vi.advanceTimersByTime(TOAST_MS + 10))
    expect(screen.queryByText('Key billing revoked.')).toBeNull()
    expect(screen.getByText('Could not save the report.')).toBeTruthy()
    act(() => void vi.advanceTimersByTime(10 * TOAST_MS))
    expect(screen.getByText('Could not save the report.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss: Could not save the report.' }))
    expect(screen.queryByText('Could not save the report.')).toBeNull()
  })

  it('stays while the pointer or focus is on it, and goes once they leave', () => {
    render(<Toasts />)
    act(() => useToasts.getState().show('Key created.'))
    const toast = screen.getByText('Key created.')
    fireEvent.focus(screen.getByRole('button', { name: 'Dismiss: Key created.' }))
    act(() => void vi.advanceTimersByTime(3 * TOAST_MS))
    expect(screen.getByText('Key created.')).toBe(toast)
    fireEvent.blur(screen.getByRole('button', { name: 'Dismiss: Key created.' }))
    act(() => void vi.advanceTimersByTime(TOAST_MS + 10))
    expect(screen.queryByText('Key created.')).toBeNull()
  })
})

/** The keys grid, where focus goes when the place it came from is gone (one selector, one home). */
export const KEYS_GRID_SELECTOR = '[role="grid"][aria-label="API keys"]'

export const keysGrid = (): HTMLElement | null => document.querySelector<HTMLElement>(KEYS_GRID_SELECTOR)

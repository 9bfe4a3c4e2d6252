import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { ErrorBoundary } from './components/ErrorBoundary'
import { KeyDeskError } from './lib/api'
import { installWebBridgeIfNeeded } from './lib/web-transport'
import './theme.css'

installWebBridgeIfNeeded()

// Errors that another try cannot fix are not retried; offline and upstream trouble are, briefly.
const NO_RETRY = new Set(['VALIDATION', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'KEYCHAIN_UNAVAILABLE', 'READ_ONLY', 'RATE_LIMITED'])
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof KeyDeskError && NO_RETRY.has(err.error.code)) && count < 1
    },
    mutations: { retry: false }
  }
})

const root = document.getElementById('root')!
if (!window.keydesk) {
  root.innerHTML =
    '<main class="crash" role="alert"><h1>KeyDesk is not connected</h1><p>This page needs KeyDesk\'s bridge: open it from the desktop app, or from the launcher file printed by <code>npm run start:web</code>.</p></main>'
} else {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <QueryClientProvider client={queryClient}>
          <App />
        </QueryClientProvider>
      </ErrorBoundary>
    </StrictMode>
  )
}

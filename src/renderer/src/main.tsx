import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { createQueryClient } from './lib/query-client'
import { installWebBridgeIfNeeded } from './lib/web-transport'
import { ErrorBoundary } from './ui/ErrorBoundary'
import './theme.css'

installWebBridgeIfNeeded()

const queryClient = createQueryClient()

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

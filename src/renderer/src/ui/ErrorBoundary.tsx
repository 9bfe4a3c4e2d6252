import { Component, type ErrorInfo, type ReactNode } from 'react'

interface State {
  failed: boolean
}

/** A render crash shows a recoverable panel; the message is generic so no data can leak into it. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false }

  static getDerivedStateFromError(): State {
    return { failed: true }
  }

  override componentDidCatch(_error: Error, _info: ErrorInfo): void {
    // Deliberately not logged from the renderer: main's redacting logger is the only log.
  }

  override render() {
    if (!this.state.failed) return this.props.children
    return (
      <main className="crash" role="alert">
        <h1>KeyDesk hit a problem drawing this screen</h1>
        <p>Nothing was changed in MeshQu. Reload the window to carry on; your tenants and keys are safe.</p>
        <button type="button" className="button primary" onClick={() => location.reload()}>
          Reload
        </button>
      </main>
    )
  }
}

// The triage feature's public surface: other features and app/ import these, never its files.
export { TriageDialog } from './TriageDialog'
export { startTriage } from './queries'

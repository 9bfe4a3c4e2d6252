// The journal feature's public surface: other features and app/ import these, never its files.
export { JournalView } from './JournalView'
export { KeyJournal } from './KeyJournal'
export { ReasonField, reasonErrorOf, reasonReady, reasonToSend } from './ReasonField'
export { useReasonRequired } from './queries'

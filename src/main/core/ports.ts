/** What the Electron shell (or a test) lends the core. Kept tiny so core never imports 'electron'. */
export interface ClipboardPort {
  writeText(text: string): void
  /** Electron 45 answers asynchronously; fakes may answer at once. */
  readText(): string | Promise<string>
}

export type FetchLike = typeof fetch

/** Desktop notifications (Electron's Notification in the shell; a recorder in tests). */
export interface NotifierPort {
  notify(title: string, body: string): void
}

/** The OS save dialog plus an atomic write; resolves the chosen path, or null when cancelled. */
export interface FileSaverPort {
  save(suggestedName: string, content: string): Promise<string | null>
}

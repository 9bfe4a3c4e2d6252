import type { NotificationAction } from '../../shared/radar'

/** What the Electron shell (or a test) lends the core. Kept tiny so core never imports 'electron'. */
export interface ClipboardPort {
  writeText(text: string): void
  /** Electron 45 answers asynchronously; fakes may answer at once. */
  readText(): string | Promise<string>
}

export type FetchLike = typeof fetch

/** What a notification may carry besides its text. */
export interface NotifyOptions {
  /** What a click asks the UI to open (the radar, filtered); kept for `notifications.lastClick`. */
  action?: NotificationAction
  /** Called by the shell when the operator clicks the notification. */
  onClick?: () => void
}

/** Desktop notifications (Electron's Notification in the shell; a recorder in tests). */
export interface NotifierPort {
  notify(title: string, body: string, options?: NotifyOptions): void
}

/** The OS save dialog plus an atomic write; resolves the chosen path, or null when cancelled. */
export interface FileSaverPort {
  save(suggestedName: string, content: string): Promise<string | null>
  /**
   * Only where the file is written by KeyDesk itself: asks where (the save dialog) without
   * writing, so a large file can be written by the thread that makes it. Null: cancelled.
   */
  choosePath?(suggestedName: string): Promise<string | null>
}

/** The OS open dialog for leak triage's scan: a file or a folder; null when cancelled. */
export interface ScanPickerPort {
  choose(): Promise<string | null>
}

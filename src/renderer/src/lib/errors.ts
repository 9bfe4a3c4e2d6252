import type { AppError, ErrorCode } from '../../../shared/errors'

/**
 * The one place the renderer turns an AppError into words: what happened (main's sentence, or this
 * file's where the context knows better) and what to do. Everything here branches on the error's
 * structure (code, outcome, reachedServer, status, fields), never on its message text.
 */

/** What the operator can do about an error; a view may offer it as a button. */
export type ErrorActionKind = 'retry' | 'refresh' | 'tenant-settings' | 'unlock-keychain' | 'fix-fields' | 'wait'

export interface ErrorAction {
  kind: ErrorActionKind
  /** The button's label where a view offers the action. */
  label: string
}

export interface ErrorContext {
  tenantLabel?: string
  keyName?: string
  /** Operations whose failures read better in their own words. */
  /** `verify`: the one call that checks a new tenant's base URL and admin key. */
  operation?: 'revoke' | 'audit' | 'verify'
  /** The form shows `fields` on its inputs, so the sentence may point at them. */
  fieldsShown?: boolean
}

export interface ErrorView {
  /** One or two sentences: what happened, what to do, and the correlation id when MeshQu gave one. */
  text: string
  action: ErrorAction | null
  /** The request may have taken effect (outcome 'unknown'): never offer a blind retry. */
  mayHaveApplied: boolean
}

const LABELS: Record<ErrorActionKind, string> = {
  retry: 'Retry',
  refresh: 'Refresh the list',
  'tenant-settings': 'Open tenant settings',
  'unlock-keychain': 'Retry after unlocking',
  'fix-fields': 'Correct the fields',
  wait: 'Wait for the window'
}

function actionKind(e: AppError, ctx: ErrorContext): ErrorActionKind | null {
  // It may have been applied: look before acting again.
  if (e.outcome === 'unknown') return 'refresh'
  switch (e.code) {
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
      return 'tenant-settings'
    case 'SETTINGS_CHANGED':
      // Re-entering the admin key there confirms settings changed outside KeyDesk.
      return 'tenant-settings'
    case 'KEYCHAIN_UNAVAILABLE':
      return 'unlock-keychain'
    case 'VALIDATION':
      return e.fields && Object.keys(e.fields).length > 0 ? 'fix-fields' : null
    case 'NOT_FOUND':
      return ctx.operation === 'verify' ? 'fix-fields' : 'refresh'
    case 'RATE_LIMITED':
      return 'wait'
    case 'READ_ONLY':
      return null
    case 'CANCELLED':
      // The operator stopped it; the form they came back to is the way on.
      return null
    case 'STORE_UNREADABLE':
      // The store's notice carries the way on (update, restore, or start a new store).
      return null
    case 'UPSTREAM':
      // A redirecting base URL is fixed in the tenant's settings, not by trying again.
      return e.status !== undefined && e.status >= 300 && e.status < 400 ? 'tenant-settings' : 'retry'
    default:
      return 'retry'
  }
}

/**
 * Main's sentences for these codes say what happened but not what to do (MeshQu's 400/403/404 and
 * the router's input checks); every other code's sentence already carries its advice, so adding
 * ours would say it twice.
 */
const ADVICE: Partial<Record<ErrorCode, (e: AppError, ctx: ErrorContext) => string>> = {
  VALIDATION: (e, ctx) => (e.fields && ctx.fieldsShown ? 'Correct the fields marked below and try again.' : 'Check the values and try again.'),
  FORBIDDEN: () => 'Use an admin key of this tenant that has api-keys:admin.',
  NOT_FOUND: () => 'Refresh the list; it may have changed.'
}

/** Sentences where the context knows more than main's generic one. */
function contextual(e: AppError, ctx: ErrorContext): string | null {
  const t = ctx.tenantLabel ?? 'this tenant'
  const k = ctx.keyName ?? 'this key'
  if (ctx.operation === 'revoke' && e.code === 'NOT_FOUND') {
    return `MeshQu does not know ${k} in tenant ${t} (404): it was already removed, or it belongs to another tenant. Refresh the list; nothing was revoked.`
  }
  if (ctx.operation === 'revoke' && e.code === 'FORBIDDEN') {
    return `MeshQu refused to revoke ${k} for tenant ${t} (403). It may belong to another tenant, or the admin key lacks api-keys:admin; nothing was revoked.`
  }
  if (ctx.operation === 'verify' && e.code === 'NOT_FOUND') {
    // Nothing is listed yet, so "refresh the list" means nothing here: a 404 at verification
    // almost always means the base URL points below or beside MeshQu's API root.
    return 'MeshQu answered 404 at this base URL: check it. It is the API root (for example https://api.meshqu.com), without /v1 or any other path KeyDesk adds itself. Nothing was saved.'
  }
  if (ctx.operation === 'audit' && e.code === 'FORBIDDEN') {
    return `The admin key of ${t} lacks audit:read, so its audit events cannot be shown.`
  }
  return null
}

export function explainError(e: AppError, ctx: ErrorContext = {}): ErrorView {
  const kind = actionKind(e, ctx)
  let text = contextual(e, ctx)
  if (text === null) {
    text = e.message
    const advice = ADVICE[e.code]?.(e, ctx)
    if (advice) text += ` ${advice}`
  }
  // Main adds the id to sentences built from MeshQu's answers; say it once either way.
  if (e.correlationId && !text.includes(e.correlationId)) text += ` Correlation id ${e.correlationId}.`
  return { text, action: kind ? { kind, label: LABELS[kind] } : null, mayHaveApplied: e.outcome === 'unknown' }
}

/** The sentence alone, for places with room for text only. */
export const describeError = (e: AppError, ctx?: ErrorContext): string => explainError(e, ctx).text

import type { z } from 'zod'
import { CreateKeyBodySchema, KEY_STATUS_FILTERS, type CreateKeyBody, type KeyStatusFilter } from '../shared/meshqu'
import { SCOPES } from '../shared/scopes'
import { validationError } from './errors'

/** Field name → message, from zod issues: the first message per top-level field wins. */
export function issuesToFields(issues: readonly z.core.$ZodIssue[], input: unknown): Record<string, string> {
  const fields: Record<string, string> = {}
  const body = isPlainObject(input) ? input : {}
  for (const issue of issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'body'
    if (fields[field]) continue
    fields[field] = friendlyMessage(field, issue, body)
  }
  return fields
}

function friendlyMessage(field: string, issue: z.core.$ZodIssue, body: Record<string, unknown>): string {
  const value = body[field]
  if (field !== 'body' && value === undefined && issue.code === 'invalid_type') return `${field} is required`
  if (field === 'scopes' && issue.path.length === 2 && issue.code === 'invalid_value') {
    const item = Array.isArray(value) ? value[Number(issue.path[1])] : undefined
    return `Unknown scope ${JSON.stringify(item)}; known scopes: ${SCOPES.join(', ')}`
  }
  if (field === 'scopes' && issue.code === 'invalid_type') return 'scopes must be a list of scope names'
  if (field === 'name' && issue.code === 'invalid_type') return 'name must be a string'
  if (field === 'expires_at' && (issue.code === 'invalid_format' || issue.code === 'invalid_type')) {
    return 'expires_at must be an ISO 8601 date-time with a time zone (e.g. 2030-01-01T00:00:00Z), or null'
  }
  return issue.message
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * POST /v1/api-keys body [ASSUMED validation]: name 1–100 chars after trimming, scopes a non-empty
 * list of known scopes without duplicates, expires_at ISO 8601 in the future or null. Unknown fields
 * are ignored. Throws a VALIDATION_ERROR naming every bad field.
 */
export function parseCreateKeyBody(input: unknown, nowMs: number): CreateKeyBody {
  if (!isPlainObject(input)) throw validationError({ body: 'The body must be a JSON object' })
  const result = CreateKeyBodySchema.safeParse(input)
  const fields = result.success ? {} : issuesToFields(result.error.issues, input)
  const expires = input.expires_at
  if (typeof expires === 'string' && !fields.expires_at && Date.parse(expires) <= nowMs) {
    fields.expires_at = 'expires_at must be in the future'
  }
  if (Object.keys(fields).length > 0 || !result.success) throw validationError(fields)
  return result.data
}

function parseIntParam(fields: Record<string, string>, name: string, raw: unknown, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback
  const text = Array.isArray(raw) ? raw[0] : raw
  if (typeof text !== 'string' || !/^\d+$/.test(text)) {
    fields[name] = `${name} must be a whole number between ${min} and ${max}`
    return fallback
  }
  const n = Number(text)
  if (n < min || n > max) fields[name] = `${name} must be a whole number between ${min} and ${max}`
  return n
}

export const LIST_LIMIT_DEFAULT = 100
export const LIST_LIMIT_MAX = 500

export interface KeyListQuery {
  limit: number
  offset: number
  status: KeyStatusFilter
}

/** `?limit=1..500 (default 100)&offset=0&status=active|revoked|expired|all (default all)` [ASSUMED] */
export function parseKeyListQuery(query: Record<string, unknown>): KeyListQuery {
  const fields: Record<string, string> = {}
  const limit = parseIntParam(fields, 'limit', query.limit, LIST_LIMIT_DEFAULT, 1, LIST_LIMIT_MAX)
  const offset = parseIntParam(fields, 'offset', query.offset, 0, 0, Number.MAX_SAFE_INTEGER)
  const rawStatus = query.status === undefined || query.status === '' ? 'all' : query.status
  const status = (KEY_STATUS_FILTERS as readonly unknown[]).includes(rawStatus) ? (rawStatus as KeyStatusFilter) : 'all'
  if (status !== rawStatus) fields.status = `status must be one of ${KEY_STATUS_FILTERS.join(', ')}`
  if (Object.keys(fields).length > 0) throw validationError(fields, 'Invalid query parameters')
  return { limit, offset, status }
}

export interface AuditQuery {
  limit: number
  offset: number
  fromDateMs: number | null
  action: string | null
}

/** `?limit&offset&from_date&action` [ASSUMED] */
export function parseAuditQuery(query: Record<string, unknown>): AuditQuery {
  const fields: Record<string, string> = {}
  const limit = parseIntParam(fields, 'limit', query.limit, LIST_LIMIT_DEFAULT, 1, LIST_LIMIT_MAX)
  const offset = parseIntParam(fields, 'offset', query.offset, 0, 0, Number.MAX_SAFE_INTEGER)
  let fromDateMs: number | null = null
  if (query.from_date !== undefined && query.from_date !== '') {
    const parsed = typeof query.from_date === 'string' ? Date.parse(query.from_date) : NaN
    if (Number.isNaN(parsed)) fields.from_date = 'from_date must be an ISO 8601 date or date-time'
    else fromDateMs = parsed
  }
  let action: string | null = null
  if (query.action !== undefined && query.action !== '') {
    if (typeof query.action !== 'string') fields.action = 'action must be a single action name'
    else action = query.action
  }
  if (Object.keys(fields).length > 0) throw validationError(fields, 'Invalid query parameters')
  return { limit, offset, fromDateMs, action }
}

import { z } from 'zod'
import {
  ApiKeySchema,
  type ApiKey,
  AuditEventSchema,
  CreateKeyBodySchema,
  HealthSchema,
  KeyIdSchema,
  KeyNameEchoSchema,
  KeyStatusFilterSchema,
  PaginationSchema
} from './meshqu'
import { AppErrorSchema, ErrorCodeSchema } from './errors'
import { SyncStatusSchema } from './sync'
import { ScopeSchema } from './scopes'
import { HeadroomSchema } from './ratelimit'
import {
  BaseUrlSchema,
  ColorSchema,
  DEFAULT_BASE_URL,
  EnvironmentSchema,
  ProtectionLevelSchema,
  TenantProfileSchema,
  TenantUuidSchema,
  TenantViewSchema,
  UNLOCK_MINUTES,
  UnlockSchema
} from './tenants'
import {
  JournalEntrySchema,
  JournalExportInputSchema,
  JournalExportSchema,
  JournalListInputSchema,
  JournalPageSchema,
  JournalVerifySchema,
  REASON_MAX,
  ReasonSchema
} from './journal'
import { ScheduledRevokeSchema, ScheduleHoldSchema, ScheduleListInputSchema, ScheduleRevokeInputSchema, ScheduleWhenSchema } from './schedule'
import { StoreIncidentSchema, StoreProblemSchema } from './store-trust'
import { CampaignDetailSchema, CampaignInputs, CampaignKeySchema, CampaignSchema, CampaignStartedSchema, CampaignStartInputSchema } from './campaigns'
import { FleetPolicySchema, PolicyChangeSchema, PolicyRuleSchema, WaiverInputSchema } from './policy'
import {
  TriageContainedSchema,
  TriageContainInputSchema,
  TriageKeyRefSchema,
  TriageScanInputSchema,
  TriageScanSchema,
  TriageSessionRefSchema,
  TriageSessionSchema,
  TriageStartSchema,
  ValiditySchema
} from './triage'
import {
  NotificationActionSchema,
  OutsideChangeSchema,
  OutsideKindSchema,
  RADAR_CATEGORIES,
  RadarCategorySchema,
  RadarSettingsPatchSchema,
  RadarSettingsStoredSchema
} from './radar'

/**
 * The IPC contract: every channel once, with its input and output schema. The preload bridge,
 * the router in main and the renderer's hooks are all derived from this table, so adding an
 * operation is one entry here plus one handler.
 */
/** Handles KeyDesk mints itself (profile, reveal slot and job ids) are UUIDs; 128 leaves room. */
const HandleSchema = z.string().min(1).max(128)
/** Bounds for strings in replies: generous, only there so no reply can grow without limit. */
const Text = z.string().max(4096)
const ProfileRef = z.object({ tenant: HandleSchema }).strict()
const NoInput = z.object({}).strict().optional()
const RevealRef = z.object({ revealId: HandleSchema }).strict()

export const AdminKeyInputSchema = z
  .string()
  .max(4096, 'An admin key has at most 512 characters')
  .transform((s) => s.trim())
  .pipe(z.string().min(8, 'Paste the whole admin key').max(512).regex(/^\S+$/, 'An admin key has no spaces'))

export const NewTenantSchema = z
  .object({
    label: TenantProfileSchema.shape.label,
    tenantId: TenantUuidSchema,
    baseUrl: BaseUrlSchema.default(DEFAULT_BASE_URL),
    environment: EnvironmentSchema,
    color: ColorSchema.optional(),
    /** Absent: the environment's default. */
    level: ProtectionLevelSchema.optional(),
    adminKey: AdminKeyInputSchema,
    /** Save without a successful check (e.g. while offline). Off by default: keys are verified first. */
    skipVerify: z.boolean().default(false),
    /** Names this verification so tenants.cancelVerify can stop it (the renderer mints it). */
    verifyId: HandleSchema.optional()
  })
  .strict()

/** Edits to a profile; a new admin key is verified like a new tenant's unless skipVerify. */
export const TenantUpdateSchema = z
  .object({
    tenant: HandleSchema,
    label: TenantProfileSchema.shape.label.optional(),
    /** A new base URL is verified with the admin key (the stored one, or `adminKey`) before it is saved. */
    baseUrl: BaseUrlSchema.optional(),
    environment: EnvironmentSchema.optional(),
    color: ColorSchema.optional(),
    level: ProtectionLevelSchema.optional(),
    /**
     * Moving a tenant off production or lowering its protection level needs its label typed back
     * and a reason (checked in main, journaled as tenant.protection).
     */
    confirmLabel: z.string().max(200).optional(),
    reason: ReasonSchema,
    adminKey: AdminKeyInputSchema.optional(),
    /**
     * The new admin key is a key KeyDesk just created (rotating its own admin key): main takes it
     * from that reveal slot, so the plaintext never crosses to the renderer.
     */
    adminKeyRevealId: HandleSchema.optional(),
    skipVerify: z.boolean().default(false),
    /** Names the new admin key's verification so tenants.cancelVerify can stop it. */
    verifyId: HandleSchema.optional()
  })
  .strict()

/** Removing a production tenant needs its label typed back, checked in main too. */
export const TenantRemoveSchema = z.object({ tenant: HandleSchema, confirmLabel: z.string().max(200).optional() }).strict()

/** An unlock needs a reason (required, unlike a write's) and one of the offered durations. */
export const UnlockStartSchema = z
  .object({
    /** One tenant, or several at once (a bulk revoke across tenants): one reason for all. */
    tenants: z.array(HandleSchema).min(1).max(100),
    reason: z.string().trim().min(1, 'Give a reason for unlocking writes').max(500, 'A reason has at most 500 characters'),
    minutes: z.union(UNLOCK_MINUTES.map((m) => z.literal(m)) as [z.ZodLiteral<5>, z.ZodLiteral<15>, z.ZodLiteral<30>])
  })
  .strict()

export const AppInfoSchema = z.object({
  version: Text,
  platform: Text,
  dataDir: Text,
  keychain: z.enum(['available', 'locked', 'unavailable'])
})

export const TenantListSchema = z.object({
  tenants: z.array(TenantViewSchema),
  /** The tenant shown last, restored on start. */
  activeId: Text.nullable(),
  /** Problems met loading the tenant list (e.g. a corrupt file set aside), to show once. */
  warnings: z.array(Text)
})

export const KeyListInputSchema = ProfileRef.extend({
  status: KeyStatusFilterSchema.default('all'),
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).default(0)
}).strict()

export const CreatedKeyViewSchema = z.object({
  key: ApiKeySchema,
  /** Handle of the one-time reveal slot holding the plaintext in main. */
  revealId: Text,
  revealExpiresAt: z.number()
})

export const BulkResultSchema = z.object({
  /** The key's tenant (profile id); a job may span tenants. */
  tenant: Text,
  id: Text,
  state: z.enum(['pending', 'revoked', 'failed', 'skipped']),
  code: ErrorCodeSchema.optional(),
  message: Text.optional()
})

export const BulkTenantProgressSchema = z.object({
  tenant: Text,
  total: z.number().int(),
  revoked: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  /** This tenant's own pacing: each tenant of a job waits for its own headroom. */
  waitingUntil: z.number().nullable(),
  waitingReason: z.enum(['rate-limited', 'window-spent']).nullable()
})

export const BulkJobSchema = z.object({
  jobId: Text,
  /** The tenant of a bulk.revoke job; null for a bulk.revokeAcross job (see `tenants`). */
  tenant: Text.nullable(),
  /** Every tenant of the job, in the order first named. */
  tenants: z.array(Text),
  total: z.number().int(),
  revoked: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  cancelled: z.boolean(),
  finished: z.boolean(),
  /** Set while the job waits for rate-limit headroom: "waiting for the rate-limit window (12 s)". */
  waitingUntil: z.number().nullable(),
  waitingReason: z.enum(['rate-limited', 'window-spent']).nullable(),
  /** Counts and pacing per tenant. */
  perTenant: z.array(BulkTenantProgressSchema),
  results: z.array(BulkResultSchema)
})

/** Keys of several tenants, each (tenant, id) once. */
export const BulkItemsSchema = z
  .array(z.object({ tenant: HandleSchema, id: KeyIdSchema }).strict())
  .min(1, 'Select at least one key')
  .max(10_000)
  .refine((items) => new Set(items.map((i) => `${i.tenant}\n${i.id}`)).size === items.length, 'Each key may be listed once')

/** What the confirmation of a bulk revoke shows: the count per tenant and every production tenant by name. */
export const BulkPreviewSchema = z.object({
  total: z.number().int(),
  tenants: z.array(
    z.object({
      tenant: Text,
      label: Text,
      environment: EnvironmentSchema,
      production: z.boolean(),
      /** Read-only and not unlocked: left out of the revoke (main refuses it) until unlocked. */
      locked: z.boolean(),
      count: z.number().int()
    })
  ),
  productionLabels: z.array(Text),
  /** The reason setting applies to this selection (it includes a production tenant). */
  reasonRequired: z.boolean()
})
export type BulkJob = z.infer<typeof BulkJobSchema>

const JobRef = z.object({ jobId: HandleSchema }).strict()

const HeadroomAlertFraction = z.number().min(0).max(1)
const ReserveFraction = z.number().min(0).max(0.5)
const ProbeIntervalSeconds = z.number().int().min(0).max(3600)
const SyncEveryMinutes = z.number().int().min(1, 'At least 1 minute').max(1440, 'At most 1,440 minutes (a day)')

/** Operator preferences kept in settings.json. */
export const SettingsSchema = z.object({
  /** Notify when remaining/limit falls below this share (0 turns notifications off). */
  headroomAlertFraction: HeadroomAlertFraction.default(0.1),
  /** Share of each tenant's limit that background and bulk work never spends (kept for clicks). */
  reserveFraction: ReserveFraction.default(0.05),
  /** Seconds between live-watch probes while the headroom panel is open; 0 = off. */
  probeIntervalSeconds: ProbeIntervalSeconds.default(0),
  /** Minutes between background syncs of the whole fleet (core/sync/fleet-sync.ts); data older than two periods is stale. */
  syncEveryMinutes: SyncEveryMinutes.default(15),
  /** Revoke, rotate, bulk revoke and scheduling need a reason (journal) for production tenants; enforced in main. */
  requireReasonInProduction: z.boolean().default(false),
  /** The radar's thresholds and expiry notifications, per environment (shared/radar.ts). */
  radar: RadarSettingsStoredSchema
})
export type Settings = z.infer<typeof SettingsSchema>

/**
 * A change to some settings: absent fields stay as they are (no defaults here, so a patch never
 * resets what it does not name); `radar` is merged per environment and threshold.
 */
export const SettingsPatchSchema = z
  .object({
    headroomAlertFraction: HeadroomAlertFraction.optional(),
    reserveFraction: ReserveFraction.optional(),
    probeIntervalSeconds: ProbeIntervalSeconds.optional(),
    syncEveryMinutes: SyncEveryMinutes.optional(),
    requireReasonInProduction: z.boolean().optional(),
    radar: RadarSettingsPatchSchema.optional()
  })
  .strict()
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>

export const RotationSchema = z.object({
  tenant: Text,
  oldKeyId: Text,
  newKeyId: Text,
  rotatedAt: z.number()
})
export type Rotation = z.infer<typeof RotationSchema>

export const SearchHitSchema = z.object({
  tenant: z.object({ id: Text, label: Text, environment: EnvironmentSchema }),
  key: ApiKeySchema,
  syncedAt: z.number(),
  /** The text is this key's whole id or preview; such hits come first. */
  exact: z.boolean()
})

export const SEARCH_MIN_CHARS = 2
export const SearchAllInputSchema = z
  .object({
    text: z
      .string()
      .trim()
      .max(200)
      // A NUL or other control character is nothing a key's name holds; say so on the field.
      .regex(/^\P{Cc}*$/u, 'Search text cannot contain control characters')
      .default(''),
    scope: ScopeSchema.optional(),
    limit: z.number().int().min(1).max(1000).default(200)
  })
  .strict()
  .superRefine((v, ctx) => {
    // One character would match most of the fleet; a scope alone is a fine question.
    if ([...v.text].length < SEARCH_MIN_CHARS && !(v.text === '' && v.scope)) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: `Type at least ${SEARCH_MIN_CHARS} characters` })
    }
  })

/** Keys per status of one tenant, as last synced (for the sidebar); no list is loaded for it. */
export const TenantCountsSchema = z.object({
  tenant: HandleSchema,
  syncedAt: z.number(),
  active: z.number().int(),
  expiring: z.number().int(),
  expired: z.number().int(),
  revoked: z.number().int()
})
export type TenantCounts = z.infer<typeof TenantCountsSchema>

/** The encrypted fleet store: open, not yet opened, or closed because the keychain is unavailable. */
export const StoreStatusSchema = z.object({
  state: z.enum(['open', 'closed', 'unavailable']),
  /** Why it is unavailable (e.g. the keychain is locked), for the banner with Retry. */
  reason: AppErrorSchema.nullable(),
  path: Text,
  /** Things to say once (the store's worker was restarted). */
  warnings: z.array(Text).max(100),
  /** Why the store refuses to open its file (the file is kept as it is); null when it does not. */
  problem: StoreProblemSchema.nullable(),
  /** What the keychain's anchor showed about the file, until acknowledged (store.acknowledge). */
  incidents: z.array(StoreIncidentSchema).max(100),
  /** Why scheduled revokes are not being run, or null when they are. */
  schedulesHeld: Text.nullable()
})
export type StoreStatus = z.infer<typeof StoreStatusSchema>

const RadarTenantRefSchema = z.object({ id: Text, label: Text, environment: EnvironmentSchema })
const CountsByCategory = z.object(
  Object.fromEntries(RADAR_CATEGORIES.map((c) => [c, z.number().int()])) as Record<(typeof RADAR_CATEGORIES)[number], z.ZodNumber>
)

/** The radar's counts, from the store only (works offline); see docs/ARCHITECTURE.md, "Radar". */
export const RadarSummarySchema = z.object({
  generatedAt: z.number(),
  /** Every category in RADAR_CATEGORIES order: its total and the tenants with at least one. */
  categories: z.array(
    z.object({
      category: RadarCategorySchema,
      total: z.number().int(),
      tenants: z.array(z.object({ tenant: Text, count: z.number().int() }))
    })
  ),
  /** Every tenant profile, production first: its counts, badge and how old its stored keys are. */
  tenants: z.array(
    RadarTenantRefSchema.extend({
      /** When its keys were last synced into the store; null = never (all counts are 0). */
      syncedAt: z.number().nullable(),
      /** generatedAt − syncedAt, for "as of 3 hours ago". */
      ageMs: z.number().nullable(),
      /** The sidebar badge ("3 findings"): counts summed over BADGE_CATEGORIES. */
      findings: z.number().int(),
      counts: CountsByCategory,
      /** Policy compliance: live keys within the fleet policy (no broken rule, or a waiver running) of `live`. */
      compliance: z.object({ within: z.number().int(), live: z.number().int() })
    })
  )
})
export type RadarSummary = z.infer<typeof RadarSummarySchema>

export const RadarKeysInputSchema = z
  .object({
    category: RadarCategorySchema,
    /** Only these tenant profiles; all when absent. */
    tenants: z.array(HandleSchema).min(1).max(1000).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
    offset: z.number().int().min(0).default(0)
  })
  .strict()

export const RadarKeyItemSchema = z.object({
  tenant: RadarTenantRefSchema,
  keyId: Text,
  /** null when a rotation or a schedule names a key the store does not hold. */
  key: ApiKeySchema.nullable(),
  syncedAt: z.number().nullable(),
  /** Every finding of this key, not only the one asked for. */
  findings: z.array(RadarCategorySchema),
  /** Its changes made outside KeyDesk, not yet acknowledged: who and when, as MeshQu said. */
  outside: z.array(OutsideChangeSchema).max(2).optional(),
  /** The fleet-policy rules the key breaks (its "outside-policy" finding says which); empty while a waiver runs. */
  policyRules: z.array(PolicyRuleSchema).max(10)
})
export type RadarKeyItem = z.infer<typeof RadarKeyItemSchema>

/** The operator says a change made outside KeyDesk was expected: it leaves the radar, journaled with who and why. */
export const OutsideAcknowledgeInputSchema = z
  .object({
    tenant: HandleSchema,
    keyId: KeyIdSchema,
    kind: OutsideKindSchema,
    reason: z
      .string()
      .max(REASON_MAX, `A reason has at most ${REASON_MAX} characters`)
      .transform((s) => s.trim())
      .pipe(z.string().min(1, 'Say why this change is expected'))
  })
  .strict()

export const PresentedKeySchema = z.object({
  keyId: Text,
  name: Text.nullable(),
  preview: Text.nullable(),
  /** From the stored key; for a key the store does not hold, from the event's `details.reason`. */
  status: z.enum(['revoked', 'expired']),
  /** auth.denied events naming the key in the window read. */
  count: z.number().int(),
  firstAt: z.number(),
  lastAt: z.number(),
  /** Contained as a leak (a leak.contain entry in the journal): still presented means someone still holds the leaked key. */
  leaked: z.boolean().optional()
})
export type PresentedKey = z.infer<typeof PresentedKeySchema>

export const PresentedTenantSchema = z.object({
  tenant: Text,
  label: Text,
  /**
   * ok: read (from MeshQu or, offline, the last answer); no-audit-read: the admin key lacks
   * audit:read (say so once, not an error); unavailable: MeshQu could not be asked and nothing
   * was stored.
   */
  state: z.enum(['ok', 'no-audit-read', 'unavailable']),
  servedFrom: z.enum(['network', 'store']).nullable(),
  checkedAt: z.number().nullable(),
  /** One sentence for no-audit-read and unavailable. */
  message: Text.nullable(),
  /** Events read since this time (epoch ms). */
  since: z.number().nullable(),
  /** More auth.denied events existed than KeyDesk reads at once; counts are lower bounds. */
  truncated: z.boolean(),
  keys: z.array(PresentedKeySchema)
})
export type PresentedTenant = z.infer<typeof PresentedTenantSchema>

export const ReportInputSchema = z
  .object({
    format: z.enum(['csv', 'json']),
    /** Only these keys; every stored key of every tenant when absent. */
    selection: z
      .array(z.object({ tenant: HandleSchema, keyId: KeyIdSchema }).strict())
      .min(1)
      .max(100_000)
      .optional(),
    /** Through the OS save dialog (files.save's path) instead of returning the text. */
    save: z.boolean().default(false)
  })
  .strict()

/**
 * Keys parsed with ApiKeySchema when they entered KeyDesk: every MeshQu response is parsed in
 * meshqu/client.ts, and the store holds only keys written from such responses. A reply that
 * carries such a list declares a `replyCheck` in which the list is checked for being an array
 * and its keys are not parsed one by one again: for 10,000 keys that second parse cost ~20 ms a
 * reply, ~150 ms the first time (bench/RESULTS.md). Inputs and everything else in the reply are
 * still checked; the renderer's types are `output`'s. keys.fromStore goes further for the same
 * reason: its list crosses as the stored JSON text (StoreKeysJsonSchema), never parsed in main.
 */
const KeysParsedOnEntry = z.custom<ApiKey[]>((v) => Array.isArray(v), 'a list of keys')
function keysParsedOnEntry<S extends z.ZodObject<{ keys: z.ZodArray<typeof ApiKeySchema> }>>(schema: S) {
  return schema.extend({ keys: KeysParsedOnEntry })
}

/**
 * The tenant's last synced list from the store, as JSON text: the stored rows (each a key parsed
 * with ApiKeySchema when MeshQu's response arrived, KeysParsedOnEntry) joined into one array in
 * the store's order, which the renderer parses once. Main neither parses 10,000 keys nor
 * serializes them again, and the reply check is a string's (a second parse of every key in main
 * cost ~50 ms per 10,000 and gained nothing: the store holds nothing else).
 */
export const StoreKeysJsonSchema = z.object({ keysJson: z.string(), syncedAt: z.number() })

/** The most rows keys.fromStoreHead gives: a screenful or two, never the list by another name. */
export const STORE_HEAD_MAX_ROWS = 500

/**
 * The first rows of the tenant's last synced list in the keys view's default order (newest
 * first; DEFAULT_SORT in key-view.ts), with what the view needs of the rest: how many keys the
 * list holds and how many of each status.
 */
export const StoreHeadSchema = z.object({
  keys: z.array(ApiKeySchema),
  total: z.number().int().nonnegative(),
  counts: z.object({
    active: z.number().int().nonnegative(),
    expiring: z.number().int().nonnegative(),
    expired: z.number().int().nonnegative(),
    revoked: z.number().int().nonnegative()
  }),
  syncedAt: z.number()
})
export type StoreHead = z.infer<typeof StoreHeadSchema>

export const KeyListAllSchema = z.object({
  keys: z.array(ApiKeySchema),
  total: z.number().int(),
  /** Pages fetched; 0 when answered from the fleet store. */
  pages: z.number().int(),
  /** Why the snapshot was served instead of MeshQu (one sentence), when it was. */
  offlineReason: Text.optional(),
  /**
   * Served from the fleet store because MeshQu answered 429: nothing is sent to the tenant before
   * this instant (main's clock), and the list is asked again by itself then.
   */
  rateLimitedUntil: z.number().optional(),
  /** Back online after serving the snapshot: "3 keys added, 1 revoked, 2 expired". */
  changesSinceLastSync: Text.optional(),
  /** Writes whose outcome was unknown when the connection dropped, now checked. */
  settledWrites: z.array(Text).optional(),
  /** The same writes, structured, so the view can keep each warning and offer its action. */
  settled: z.array(z.object({ sentence: Text, kind: Text, keyId: Text.nullable(), applied: z.boolean() })).optional(),
  /** The list could not be read consistently or hit a cap (meshqu/list-all.ts); keys may be missing. */
  incomplete: z.literal(true).optional(),
  /** One sentence for the keys view saying why the list is incomplete. */
  incompleteReason: Text.optional()
})

export const NoticeSchema = z.object({
  seq: z.number().int(),
  at: z.number(),
  title: Text,
  body: Text,
  action: NotificationActionSchema.nullable()
})

export const contract = {
  'app.info': { input: NoInput, output: AppInfoSchema },
  'tenants.list': { input: NoInput, output: TenantListSchema },
  'tenants.add': { input: NewTenantSchema, output: TenantViewSchema },
  'tenants.activate': { input: ProfileRef, output: z.object({ activeId: Text }) },
  'tenants.update': { input: TenantUpdateSchema, output: TenantViewSchema },
  'tenants.remove': { input: TenantRemoveSchema, output: z.object({ removed: Text }) },
  'tenants.health': { input: ProfileRef, output: HealthSchema },
  /**
   * Stops the verification of tenants.add / tenants.update named `verifyId`: that call then fails
   * CANCELLED having written nothing. `cancelled` is false when it was too late (its writes had
   * begun or it had finished): that call's own reply says what happened.
   */
  'tenants.cancelVerify': { input: z.object({ verifyId: HandleSchema }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** Unlocks writes of read-only tenants for a while (main's memory only; journaled with the reason). */
  'unlock.start': { input: UnlockStartSchema, output: z.object({ unlocks: z.array(UnlockSchema) }) },
  /** Lock now: ends the tenant's unlock. */
  'unlock.end': { input: ProfileRef, output: z.object({ ended: z.boolean() }) },
  /** The unlocks now, with main's clock to count them down by. */
  'unlock.list': { input: NoInput, output: z.object({ unlocks: z.array(UnlockSchema), now: z.number() }) },
  /** The operator is at work (a key press, a click): unlocks are not idle. */
  'unlock.activity': { input: NoInput, output: z.object({ unlocks: z.number().int() }) },
  'sandbox.start': { input: NoInput, output: z.object({ tenant: TenantViewSchema, url: Text }) },
  'sandbox.status': { input: NoInput, output: z.object({ running: z.boolean(), url: Text.nullable() }) },
  'keys.list': {
    input: KeyListInputSchema,
    output: z.object({ keys: z.array(ApiKeySchema), pagination: PaginationSchema })
  },
  /** Every key (all pages) from MeshQu or, offline, the fleet store; keys as parsed on entry (KeysParsedOnEntry). */
  'keys.listAll': {
    input: ProfileRef.extend({ status: KeyStatusFilterSchema.default('all') }).strict(),
    output: KeyListAllSchema,
    replyCheck: keysParsedOnEntry(KeyListAllSchema)
  },
  'keys.get': { input: ProfileRef.extend({ id: KeyIdSchema }).strict(), output: ApiKeySchema },
  /** `waiver` lets a key outside the fleet policy through (else POLICY, naming the rule); main stores and journals it. */
  'keys.create': {
    input: ProfileRef.extend({ key: CreateKeyBodySchema.strict(), waiver: WaiverInputSchema.optional() }).strict(),
    output: CreatedKeyViewSchema
  },
  /**
   * `name` only words messages ("revocation of billing-prod may not have been applied"). The output
   * is null when MeshQu revoked the key (204 No Content) but it could not be read back.
   */
  'keys.revoke': {
    input: ProfileRef.extend({ id: KeyIdSchema, name: KeyNameEchoSchema.optional(), reason: ReasonSchema }).strict(),
    output: ApiKeySchema.nullable()
  },
  /** Creates a replacement with the same scopes; the old key is revoked now (revokeOld) or kept as a pending rotation. */
  'keys.rotate': {
    input: ProfileRef.extend({
      id: KeyIdSchema,
      name: CreateKeyBodySchema.shape.name,
      expires_at: CreateKeyBodySchema.shape.expires_at,
      reason: ReasonSchema,
      waiver: WaiverInputSchema.optional()
    }).strict(),
    output: z.object({ old: ApiKeySchema, created: CreatedKeyViewSchema })
  },
  /**
   * After the copy-once dialog: revoke the old key now (revokeOld), keep it with a reminder, or
   * schedule its revoke (`schedule`, with revokeOld false; the reminder stays until it runs).
   */
  'keys.finishRotation': {
    input: ProfileRef.extend({
      oldKeyId: KeyIdSchema,
      newKeyId: KeyIdSchema,
      revokeOld: z.boolean(),
      schedule: ScheduleWhenSchema.optional(),
      reason: ReasonSchema
    })
      .strict()
      .refine((v) => !(v.revokeOld && v.schedule), { message: 'Revoke now or schedule it, not both', path: ['schedule'] }),
    output: z.object({ old: ApiKeySchema.nullable(), pending: z.array(RotationSchema), scheduled: ScheduledRevokeSchema.nullable().optional() })
  },
  'keys.pendingRotations': { input: ProfileRef, output: z.object({ pending: z.array(RotationSchema) }) },
  /** Searches every tenant's last synced keys in the store (name, preview, id; or by scope), e.g. for a leaked preview. */
  'keys.searchAll': {
    input: SearchAllInputSchema,
    output: z.object({ hits: z.array(SearchHitSchema), searchedTenants: z.number().int(), truncated: z.boolean() })
  },
  /**
   * The tenant's last synced list from the store, to paint a tenant before the network answers: a
   * JSON array of keys as parsed on entry (StoreKeysJsonSchema), which only the renderer parses.
   */
  'keys.fromStore': { input: ProfileRef, output: StoreKeysJsonSchema.nullable() },
  /**
   * The first screenful of keys.fromStore (its first `limit` rows in the view's default order), with
   * the list's size and keys per status as of `now` (the renderer's clock, so the counts agree with
   * the statuses it paints). A cold switch paints it at once; keys.fromStore moves ~4 MB for 10,000
   * keys. Its keys are checked like any reply: a few hundred at most.
   */
  'keys.fromStoreHead': {
    input: ProfileRef.extend({
      limit: z.number().int().min(1).max(STORE_HEAD_MAX_ROWS),
      now: z.number().int().nonnegative().optional()
    }).strict(),
    output: StoreHeadSchema.nullable()
  },
  /** Keys per status for every synced tenant, from the store. */
  'fleet.counts': { input: NoInput, output: z.object({ tenants: z.array(TenantCountsSchema) }) },
  'store.status': { input: NoInput, output: StoreStatusSchema },
  /** Tries to open the store again (after the keychain was unlocked). */
  'store.retry': { input: NoInput, output: StoreStatusSchema },
  /** The operator has seen these incidents: they are no longer reported, and held schedules run again. */
  'store.acknowledge': { input: z.object({ ids: z.array(z.string().max(64)).max(100) }).strict(), output: StoreStatusSchema },
  /**
   * Only while the store refuses its file (StoreStatus.problem): sets the file aside
   * (`keydesk.db.unreadable-<time>`, never deleted) and starts a new, empty store; a damaged
   * keychain entry is kept under another account and a new key made. Reported until acknowledged.
   */
  'store.startNew': { input: NoInput, output: StoreStatusSchema },
  /** Saves an export through the OS save dialog; READ_ONLY where there is none (the browser downloads instead). */
  'files.save': {
    input: z
      .object({
        suggestedName: z
          .string()
          .min(1)
          .max(200)
          .regex(/^[^/\\:*?"<>|]+$/, 'A file name, not a path'),
        mimeType: z.enum(['text/csv', 'application/json']),
        content: z.string().max(50 * 1024 * 1024)
      })
      .strict(),
    output: z.object({ saved: z.boolean(), path: Text.nullable() })
  },
  'audit.list': {
    input: ProfileRef.extend({
      limit: z.number().int().min(1).max(500).default(50),
      offset: z.number().int().min(0).default(0),
      action: z.string().max(100).optional()
    }).strict(),
    output: z.object({ events: z.array(AuditEventSchema), pagination: PaginationSchema })
  },
  'bulk.revoke': {
    input: ProfileRef.extend({
      ids: z
        .array(KeyIdSchema)
        .min(1, 'Select at least one key')
        .max(10_000)
        .refine((ids) => new Set(ids).size === ids.length, 'Each key may be listed once'),
      reason: ReasonSchema
    }).strict(),
    output: BulkJobSchema
  },
  /** A bulk revoke whose keys span tenants; each tenant is paced by its own headroom, in parallel. */
  'bulk.revokeAcross': { input: z.object({ items: BulkItemsSchema, reason: ReasonSchema }).strict(), output: BulkJobSchema },
  /** The confirmation's data for a selection: counts per tenant, production flags and labels. */
  'bulk.preview': { input: z.object({ items: BulkItemsSchema }).strict(), output: BulkPreviewSchema },
  'bulk.status': { input: JobRef, output: BulkJobSchema },
  'bulk.cancel': { input: JobRef, output: BulkJobSchema },
  /** Sends the failed ones again; revoked keys are never sent twice. */
  'bulk.retryFailed': { input: JobRef, output: BulkJobSchema },
  'ratelimit.status': { input: ProfileRef, output: HeadroomSchema },
  'ratelimit.overview': { input: NoInput, output: z.object({ tenants: z.array(HeadroomSchema) }) },
  /** One real request (list one key) to refresh the reading; the UI says it costs one. */
  'ratelimit.probe': { input: ProfileRef, output: HeadroomSchema },
  /** Radar counts per category and tenant, from the store (offline too). */
  'radar.summary': { input: NoInput, output: RadarSummarySchema },
  /** One category's keys across tenants, paginated; `truncated` = more after this page. */
  'radar.keys': {
    input: RadarKeysInputSchema,
    output: z.object({
      category: RadarCategorySchema,
      total: z.number().int(),
      offset: z.number().int(),
      items: z.array(RadarKeyItemSchema),
      truncated: z.boolean()
    })
  },
  /**
   * A change made outside KeyDesk acknowledged: it leaves the radar, and the journal records it
   * (`outside.ack`, with the operator's account and the reason). `acknowledged` is false when no
   * such finding was open (acknowledged already, or explained since).
   */
  'radar.acknowledge': {
    input: OutsideAcknowledgeInputSchema,
    output: z.object({ acknowledged: z.boolean() })
  },
  /** Revoked or expired keys services still present (MeshQu's auth.denied events); one tenant or all. */
  'radar.presented': {
    input: z.object({ tenant: HandleSchema.optional() }).strict().optional(),
    output: z.object({ tenants: z.array(PresentedTenantSchema) })
  },
  /** The credential report (CSV or JSON, formula-safe), returned or saved through the save dialog. */
  'radar.report': {
    input: ReportInputSchema,
    output: z.object({
      rows: z.number().int(),
      suggestedName: Text,
      /** The file's text when not saved (save: false); null when saved or cancelled. */
      content: z
        .string()
        .max(200 * 1024 * 1024)
        .nullable(),
      saved: z.boolean(),
      path: Text.nullable()
    })
  },
  /** Notifications shown since `afterSeq` (the web preview shows them with the browser's API). */
  'notifications.recent': {
    input: z
      .object({ afterSeq: z.number().int().min(0).default(0) })
      .strict()
      .optional(),
    output: z.object({ notices: z.array(NoticeSchema), lastSeq: z.number().int() })
  },
  /** The last notification the operator clicked, with what it asks to open (the radar, filtered). */
  'notifications.lastClick': {
    input: NoInput,
    output: z.object({ click: z.object({ seq: z.number().int(), at: z.number(), action: NotificationActionSchema.nullable() }).nullable() })
  },
  /** The fleet policy per environment (encrypted store; defaults strict for production). */
  'policy.get': { input: NoInput, output: FleetPolicySchema },
  /** Replaces the whole policy; journaled (policy.set) with what changed. */
  'policy.update': { input: z.object({ policy: FleetPolicySchema }).strict(), output: FleetPolicySchema },
  /** The policy as a JSON file's text (format keydesk-policy, version 1), to hand to files.save. */
  'policy.export': { input: NoInput, output: z.object({ suggestedName: Text, content: z.string().max(100_000) }) },
  /** What importing this file's text would change; nothing is written. VALIDATION names what is wrong with it. */
  'policy.previewImport': {
    input: z.object({ text: z.string().max(1_000_000) }).strict(),
    output: z.object({ policy: FleetPolicySchema, changes: z.array(PolicyChangeSchema).max(100) })
  },
  /** Checks the text again and applies it; journaled. */
  'policy.import': { input: z.object({ text: z.string().max(1_000_000) }).strict(), output: FleetPolicySchema },
  'settings.get': { input: NoInput, output: SettingsSchema },
  'settings.update': { input: SettingsPatchSchema, output: SettingsSchema },
  /** The operator journal, newest first, filtered by tenant, actions and time; paginated by `before`. */
  'journal.list': { input: JournalListInputSchema, output: JournalPageSchema },
  /** Journal entries for one key (detail panel), newest first. */
  'journal.forKey': {
    input: ProfileRef.extend({ keyId: KeyIdSchema, limit: z.number().int().min(1).max(500).default(50) }).strict(),
    output: z.object({ entries: z.array(JournalEntrySchema) })
  },
  /** Whether the hash chain is intact and, if not, the first entry where it breaks. */
  'journal.verify': { input: NoInput, output: JournalVerifySchema },
  /** The filtered journal as CSV (formula-safe) or JSON text, to hand to files.save. */
  'journal.export': { input: JournalExportInputSchema, output: JournalExportSchema },
  /** Schedules (or moves) a key's revoke: `in` a preset (now, 1h, 24h, 7d) or `at` a time (epoch ms). */
  'schedule.revoke': { input: ScheduleRevokeInputSchema, output: ScheduledRevokeSchema },
  /** Cancels a schedule that has not run yet. */
  'schedule.cancel': { input: z.object({ id: z.number().int().nonnegative() }).strict(), output: ScheduledRevokeSchema },
  /** Schedules per tenant / key / state, or all; ordered by due time; with countdown data. */
  /** `hold`: the runner is holding every scheduled revoke (the wall clock jumped ahead) until schedule.resume. */
  'schedule.list': {
    input: ScheduleListInputSchema,
    output: z.object({ schedules: z.array(ScheduledRevokeSchema), now: z.number(), hold: ScheduleHoldSchema.nullable() })
  },
  /** The operator confirms the clock: held scheduled revokes run. `resumed` is false when nothing was held. */
  'schedule.resume': { input: NoInput, output: z.object({ resumed: z.boolean() }) },
  /**
   * The "while you were away" report: revokes that came due while KeyDesk was closed and ran at this start. `pending` while main's
   * first pass over them is still running (more may come, states may change): ask again.
   */
  'schedule.away': { input: NoInput, output: z.object({ results: z.array(ScheduledRevokeSchema), pending: z.boolean() }) },
  /** The report was shown: it is not returned by schedule.away again. */
  'schedule.dismissAway': {
    input: z.object({ ids: z.array(z.number().int().nonnegative()).max(10_000) }).strict(),
    output: z.object({ dismissed: z.number().int() })
  },
  /**
   * Rotation campaigns: start one over keys across tenants (locked tenants' keys are skipped and
   * named); list, read, hand a replacement over ("I have stored this key"), close the hand-over
   * queue (plaintexts not handed over are discarded), create those again, cancel (replacements
   * kept), and for a held key Revoke anyway (typed name + reason) or Extend.
   */
  'campaigns.start': { input: CampaignStartInputSchema, output: CampaignStartedSchema },
  'campaigns.list': { input: NoInput, output: z.object({ campaigns: z.array(CampaignSchema).max(100), now: z.number() }) },
  'campaigns.get': { input: CampaignInputs.ref, output: CampaignDetailSchema },
  'campaigns.handOver': { input: CampaignInputs.keyRef, output: CampaignKeySchema },
  'campaigns.closeQueue': { input: CampaignInputs.ref, output: z.object({ discarded: z.number().int() }) },
  'campaigns.recreate': { input: CampaignInputs.ref, output: z.object({ planned: z.number().int() }) },
  'campaigns.cancel': { input: CampaignInputs.ref, output: CampaignSchema },
  'campaigns.revokeAnyway': { input: CampaignInputs.revokeAnyway, output: CampaignKeySchema },
  'campaigns.extend': { input: CampaignInputs.extend, output: CampaignKeySchema },
  'secrets.reveal': { input: RevealRef, output: z.object({ plaintext: Text }) },
  'secrets.copy': { input: RevealRef, output: z.object({ clearsAt: z.number() }) },
  'secrets.discard': { input: RevealRef, output: z.object({ discarded: z.boolean() }) },
  /** Background sync of the fleet: progress, each tenant's freshness and status, each host's reachability. */
  'sync.status': { input: NoInput, output: SyncStatusSchema },
  /** Sync all now: starts a run of every tenant (or reports the one in progress). */
  'sync.all': { input: NoInput, output: SyncStatusSchema },
  /** Stops the run in progress; tenants already synced stay synced. */
  'sync.cancel': { input: NoInput, output: SyncStatusSchema },
  /**
   * Leak triage ("Whose key is this?"): the text goes to main once; main keeps its keys in memory
   * for the session and answers with masked previews only (shared/triage.ts).
   */
  'triage.start': { input: TriageStartSchema, output: TriageSessionSchema },
  /** Forgets the session's pasted keys now (the dialog closed). */
  'triage.close': { input: TriageSessionRefSchema, output: z.object({ closed: z.boolean() }) },
  /** One request to MeshQu with the leaked key, against a tenant main matched it to; journaled without the key. */
  'triage.check': { input: TriageKeyRefSchema, output: ValiditySchema },
  /** Replacement (optional), revoke with reason "leak: <where>", check again, one incident in the journal. */
  'triage.contain': { input: TriageContainInputSchema, output: TriageContainedSchema },
  /** A file or folder read in main: chosen through the OS dialog (null: cancelled), or typed where there is none. */
  'triage.scan': { input: TriageScanInputSchema, output: TriageScanSchema.nullable() },
  'triage.scanStatus': { input: z.object({ scanId: HandleSchema }).strict(), output: TriageScanSchema },
  'triage.scanCancel': { input: z.object({ scanId: HandleSchema }).strict(), output: TriageScanSchema }
} as const satisfies Record<`${string}.${string}`, { input: z.ZodType; output: z.ZodType; replyCheck?: z.ZodType }>

export type Contract = typeof contract
export type Channel = keyof Contract
export const CHANNELS = Object.keys(contract) as Channel[]

/**
 * What the router checks a channel's reply against: its `output`, or the cheaper `replyCheck`
 * where the contract declares one (KeysParsedOnEntry says when that is allowed).
 */
export function replySchema(channel: Channel): z.ZodType {
  const entry: { output: z.ZodType; replyCheck?: z.ZodType } = contract[channel]
  return entry.replyCheck ?? entry.output
}

/** What the caller passes (defaults still optional) and what the handler receives (defaults applied). */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>
export type ChannelArgs<C extends Channel> = z.output<Contract[C]['input']>
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name)
}

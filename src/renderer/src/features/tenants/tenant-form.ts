import { z } from 'zod'
import { AdminKeyInputSchema, NewTenantSchema, TenantUpdateSchema } from '../../../../shared/contract'
import {
  BaseUrlSchema,
  ColorSchema,
  EnvironmentSchema,
  ProtectionLevelSchema,
  TenantProfileSchema,
  TenantUuidSchema
} from '../../../../shared/tenants'

/**
 * The Add tenant form: the shared NewTenantSchema (what main checks again), with the pasted
 * tenant id trimmed first. Verification is the button's choice, not a field.
 */
export const AddTenantFormSchema = NewTenantSchema.omit({ skipVerify: true }).extend({ tenantId: z.string().trim().pipe(TenantUuidSchema) })
export type AddTenantFormValues = z.input<typeof AddTenantFormSchema>
export type AddTenantFormOutput = z.output<typeof AddTenantFormSchema>

/**
 * Tenant settings: the shared TenantUpdateSchema's fields, every one present in the form; an empty
 * admin key means "keep the current one".
 */
export const EditTenantFormSchema = TenantUpdateSchema.omit({ tenant: true, skipVerify: true, confirmLabel: true, reason: true }).extend({
  level: ProtectionLevelSchema,
  label: TenantProfileSchema.shape.label,
  baseUrl: BaseUrlSchema,
  environment: EnvironmentSchema,
  color: ColorSchema,
  adminKey: z
    .string()
    .transform((s) => (s.trim() === '' ? undefined : s))
    .pipe(AdminKeyInputSchema.optional())
})
export type EditTenantFormValues = z.input<typeof EditTenantFormSchema>
export type EditTenantFormOutput = z.output<typeof EditTenantFormSchema>

const ADD_FIELDS = ['label', 'environment', 'level', 'baseUrl', 'tenantId', 'adminKey', 'color'] as const
const EDIT_FIELDS = ['label', 'baseUrl', 'environment', 'level', 'color', 'adminKey'] as const

/** A reply's field path → the Add form's field ("baseUrl", "adminKey"…), or null. */
export const addTenantFieldOf = (path: string) => ADD_FIELDS.find((f) => f === path.split('.')[0]) ?? null
export const editTenantFieldOf = (path: string) => EDIT_FIELDS.find((f) => f === path.split('.')[0]) ?? null

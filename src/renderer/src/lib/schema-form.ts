import { zodResolver } from '@hookform/resolvers/zod'
import { useState } from 'react'
import { useForm, type DefaultValues, type FieldValues, type Path } from 'react-hook-form'
import type { z } from 'zod'
import { appErrorOf } from './api'
import { setServerFieldErrors } from './form-errors'

/**
 * Every form's setup: react-hook-form validated by a shared zod schema (errors shown on submit,
 * then re-checked as the operator types), and `showServerError` to put a refused reply's `fields`
 * on the form's fields. `fieldsShown` tells the error summary whether it may point at them.
 */
export function useSchemaForm<In extends FieldValues, Out extends FieldValues>(
  schema: z.ZodType<Out, In>,
  defaultValues: DefaultValues<In>,
  fieldOf: (path: string) => Path<In> | null
) {
  const form = useForm<In, unknown, Out>({
    resolver: zodResolver<In, unknown, Out, z.ZodType<Out, In>>(schema),
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange'
  })
  const [fieldsShown, setFieldsShown] = useState(false)
  const showServerError = (err: unknown) => setFieldsShown(setServerFieldErrors(appErrorOf(err), form.setError, fieldOf))
  return { form, showServerError, fieldsShown }
}

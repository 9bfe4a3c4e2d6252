import { appErrorOf } from '../../lib/api'
import { describeError } from '../../lib/errors'
import { useSaveSettings, useSettings } from '../../lib/settings'

/** The setting that makes a reason required for revoke, rotate, bulk revoke and scheduling on production tenants. */
export function ReasonSetting() {
  const settings = useSettings()
  const save = useSaveSettings()
  // While saving, show what was asked for (the box does not flick back and forth).
  const on = (save.isPending ? save.variables?.requireReasonInProduction : undefined) ?? settings.data?.requireReasonInProduction ?? false
  return (
    <div>
      <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <input
          type="checkbox"
          checked={on}
          disabled={!settings.data || save.isPending}
          onChange={(e) => save.mutate({ requireReasonInProduction: e.target.checked })}
        />{' '}
        Require a reason for production changes
      </label>
      {(settings.error || save.error) && (
        <p className="field-error" role="alert">
          {describeError(appErrorOf(settings.error ?? save.error))}
        </p>
      )}
    </div>
  )
}

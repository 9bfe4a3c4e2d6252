/**
 * A WHERE clause from optional filters, with its `?` parameters in order: the journal's and the
 * schedules' lists filter the same way (tenant, key, one of several values, a range).
 */
export function whereClause() {
  const parts: string[] = []
  const params: unknown[] = []
  const add = (sql: string, ...values: unknown[]) => {
    parts.push(sql)
    params.push(...values)
  }
  return {
    /** One condition with its `?` values, ANDed with the others. */
    add,
    /** `column IN (?, …)` for a non-empty list; no condition for an absent or empty one. */
    oneOf(column: string, values: readonly unknown[] | undefined) {
      if (values?.length) add(`${column} IN (${values.map(() => '?').join(', ')})`, ...values)
    },
    build: () => ({ sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params })
  }
}

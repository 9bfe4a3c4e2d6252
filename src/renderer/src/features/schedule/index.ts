// The schedule feature's public surface: other features and app/ import these, never its files.
export { AwayNotice } from './AwayNotice'
export { KeySchedule } from './KeySchedule'
export { RunnerHold } from './RunnerHold'
export { ScheduleCountdown } from './ScheduleCountdown'
export { ScheduleForm } from './ScheduleForm'
export { ScheduleStatus } from './ScheduleStatus'
export { useCancelSchedule, useFleetSchedules, useSchedules } from './queries'
export { ScheduleRevokeDialog } from './ScheduleRevokeDialog'

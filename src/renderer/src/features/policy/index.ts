/** The fleet policy: its settings panel, the limits and waiver of the key forms, its refusals. */
export { PolicyPanel } from './PolicyPanel'
export { PolicyLimits } from './PolicyLimits'
export { WaiverFields, useWaiver, waiverToSend, type WaiverState } from './WaiverFields'
export { policyFieldError } from './policy-error'
export { usePolicy } from './queries'

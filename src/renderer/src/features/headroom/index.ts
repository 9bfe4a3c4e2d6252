// The headroom feature's public surface: other features and app/ import these, never its files.
export { HeadroomMeter } from './HeadroomMeter'
export { HeadroomPanel } from './HeadroomPanel'
export { useHeadroom } from './queries'

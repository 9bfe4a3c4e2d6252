// The radar feature's public surface: other features and app/ import these, never its files.
export { OutsideAckDialog } from './OutsideAckDialog'
export { RadarBulkDialog } from './RadarBulkDialog'
export { RadarSettingsDialog } from './RadarSettingsDialog'
export { RadarView } from './RadarView'
export { FindingsBadge, RadarEntry } from './SidebarRadar'
export { useRadarUi } from './radar-store'
export { useNotificationClicks } from './use-notification-clicks'
export { useRadarShortcut } from './use-radar-shortcut'

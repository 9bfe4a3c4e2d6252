// The campaigns feature's public surface: other features and app/ import these, never its files.
export { CampaignLayer } from './CampaignLayer'
export { CampaignsView } from './CampaignsView'
export { useCampaignsUi, type CampaignPick } from './campaign-store'
export { CampaignFindings } from './CampaignFindings'

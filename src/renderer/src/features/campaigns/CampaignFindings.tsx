import { useId } from 'react'
import { useCampaignsUi } from './campaign-store'
import { useCampaigns } from './queries'
import { plural } from './words'

/**
 * The radar's campaigns section: keys a campaign held at its deadline (still in use, or the
 * replacement unused) are findings, each settled in the Campaigns view (Revoke anyway or Extend).
 */
export function CampaignFindings() {
  const list = useCampaigns()
  const id = useId()
  const running = (list.data?.campaigns ?? []).filter((c) => c.state === 'running')
  if (!running.length) return null
  const held = running.reduce((n, c) => n + c.counts.held, 0)
  const waiting = running.reduce((n, c) => n + c.counts.waiting, 0)
  const notHandedOver = running.reduce((n, c) => n + c.notHandedOver, 0)
  return (
    <section className="radar-section" aria-labelledby={id}>
      <h2 className="radar-h2" id={id}>
        Rotation campaigns
      </h2>
      <p style={{ margin: 0 }}>
        {plural(running.length, 'campaign', 'campaigns')} running: {plural(waiting, 'key', 'keys')} waiting for traffic to stop
        {held > 0 && <strong>, {plural(held, 'key', 'keys')} held</strong>}
        {notHandedOver > 0 && `, ${plural(notHandedOver, 'new key', 'new keys')} not handed over yet`}.
      </p>
      <button type="button" className="button" onClick={() => useCampaignsUi.getState().openView()}>
        Show campaigns
      </button>
    </section>
  )
}

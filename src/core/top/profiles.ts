/**
 * The profiles `top`'s state machine keeps of a read: each row's label and gateway state, and,
 * for a profile whose gateway would not start (its row's refusal: hostStartVerdict on the view
 * top read and this host's addresses, as status judges it), what s and r say instead of offering
 * a start or restart that would be refused.
 */
import { restartNotTried, startNotTried } from '../messages';
import type { ProfileRow } from './row';
import type { TopProfile } from './state';

export function topProfiles(rows: readonly Pick<ProfileRow, 'label' | 'state' | 'refusal'>[]): TopProfile[] {
  return rows.map((r) => {
    if (r.refusal === null) return { label: r.label, state: r.state };
    const { blocker, fix } = r.refusal;
    return { label: r.label, state: r.state, startRefused: startNotTried(r, blocker, fix), restartRefused: restartNotTried(r, blocker, fix) };
  });
}

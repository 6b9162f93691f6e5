/**
 * The profiles `top`'s state machine keeps of a read: each row's label and gateway state, and,
 * for a config the gateway refuses to start on (startVerdict, on this host's addresses, as
 * status judges it), what s and r say instead of offering a start or restart that would fail.
 */
import { ruleFixWords, startVerdict } from '../config/profile-rules';
import type { HostView } from '../host/view';
import { restartNotTried, startNotTried } from '../messages';
import type { Profile } from '../profile/identity';
import type { ProfileRow } from './row';
import type { TopProfile } from './state';

export function topProfiles(view: HostView, rows: readonly Pick<ProfileRow, 'label' | 'state'>[], home: string, addresses: readonly string[], invocation: (profile: Profile) => string): TopProfile[] {
  return rows.map((r) => {
    const p = view.profiles.find((x) => x.paths.label === r.label);
    if (p === undefined) return { label: r.label, state: r.state };
    const said = invocation(p.paths.profile);
    const { blocker, refusals } = startVerdict(p.loaded, p.paths, home, { addresses, invocation: said });
    if (blocker === null) return { label: r.label, state: r.state };
    // The fix status names: doctor --fix only for what it fixes (a bind is the user's choice).
    const fix = ruleFixWords(refusals, `Repair it with "${said} doctor --fix"`);
    return { label: r.label, state: r.state, startRefused: startNotTried(r, blocker, fix), restartRefused: restartNotTried(r, blocker, fix) };
  });
}

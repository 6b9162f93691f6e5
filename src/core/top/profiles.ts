/**
 * The profiles `top`'s state machine keeps of a read: each row's label and gateway state, and,
 * for a profile whose gateway would not start (hostStartVerdict, on this host's addresses and
 * the view top read, as status judges it), what s and r say instead of offering a start or
 * restart that would be refused.
 */
import { hostStartVerdict, startFixWords } from '../host/start';
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
    const verdict = hostStartVerdict(view, p, { home, bind: { addresses, invocation: said } });
    if (verdict.blocker === null) return { label: r.label, state: r.state };
    // The fix status names: doctor --fix only for what it fixes (a bind is the user's choice).
    const fix = startFixWords(verdict, `Repair it with "${said} doctor --fix"`);
    return { label: r.label, state: r.state, startRefused: startNotTried(r, verdict.blocker, fix), restartRefused: restartNotTried(r, verdict.blocker, fix) };
  });
}

/**
 * The profiles `top`'s state machine keeps of a read: each row's label and gateway state, and,
 * for a config the gateway refuses to start on (configStartBlocker, the rule status says it
 * by), what s says instead of offering a start that would fail.
 */
import { configStartBlocker } from '../config/profile-rules';
import type { HostView } from '../host/view';
import { startNotTried } from '../messages';
import type { Profile } from '../profile/identity';
import type { ProfileRow } from './row';
import type { TopProfile } from './state';

/** `invocation`: the command prefix of a profile, as this shell would type it (invocationHere). */
export function topProfiles(view: HostView, rows: readonly Pick<ProfileRow, 'label' | 'state'>[], home: string, invocation: (profile: Profile) => string): TopProfile[] {
  return rows.map((r) => {
    const p = view.profiles.find((x) => x.paths.label === r.label);
    const blocker = p === undefined ? null : configStartBlocker(p.loaded, p.paths, home);
    return blocker === null || p === undefined ? { label: r.label, state: r.state } : { label: r.label, state: r.state, startRefused: startNotTried({ label: r.label, invocation: invocation(p.paths.profile) }, blocker) };
  });
}

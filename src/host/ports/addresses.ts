import os from 'node:os';
import type { BindFacts } from '../../core/config/profile-rules';
import type { Profile } from '../../core/profile/identity';
import { invocationHere } from '../profile/invocation';

/** The addresses of this host's interfaces, as Node lists them: the one home the gateway and doctor ask. */
export function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}

/** What profileRuleProblems judges gateway.bind by, now: this host's addresses, and the command prefix of `profile`'s fix. */
export function bindFacts(profile: Profile): BindFacts {
  return { addresses: hostAddresses(), invocation: invocationHere(profile) };
}

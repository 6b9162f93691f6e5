/**
 * The lines of `top`'s doctor view (d). Doctor checks a profile's files, ports and service,
 * not whether its gateway runs: a stopped one would read "nothing wrong", so the view says
 * it is stopped and how to start it, before doctor's findings.
 */
import { whenItStarts } from '../messages';
import type { GatewayState } from './row';

/** One finding of doctor as the view shows it: the problem and the command (or the words) that fix it. */
export interface DoctorFinding {
  severity: 'error' | 'warning';
  summary: string;
  fix: string;
}

export function doctorLines(profile: { state: GatewayState; invocation: string }, findings: readonly DoctorFinding[]): string[] {
  const found = findings.flatMap((f) => [`${f.severity === 'error' ? '✖' : '⚠'} ${f.summary}`, `  fix: ${f.fix}`]);
  if (profile.state !== 'down') return found.length === 0 ? ['✔ nothing wrong'] : found;
  // An error (a config the gateway refuses, a broken lock) would stop the start: it waits for the fix.
  const blocker = findings.some((f) => f.severity === 'error') ? 'the errors below are fixed' : null;
  const stopped = ['⚠ the gateway is stopped', `  ${whenItStarts(`press s, or run "${profile.invocation} start"`, blocker)}`];
  return [...stopped, ...(found.length === 0 ? ['✔ nothing else wrong'] : found)];
}

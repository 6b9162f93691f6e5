/**
 * How the wizard names things on screen: a body line and its tone, the service, the command
 * that runs the gateway, a footprint in one line, a gateway.bind this host has no address for.
 * Light on purpose: the questions table (read on every start of the CLI, for onboard's flags) uses these.
 */
import { bindFixCommand } from '../gateway/plan';
import { tildify } from '../profile/paths';
import { shapeOf } from './answers';
import { dirFound, type ServiceSupport, type WizardFacts } from './facts';
import type { Finding, FindingKind } from '../doctor/findings';

export type Tone = 'plain' | 'dim' | 'heading' | 'good' | 'bad' | 'warn' | 'accent' | 'added' | 'removed';

export interface Line {
  text: string;
  tone: Tone;
}

export const line = (text: string, tone: Tone = 'plain'): Line => ({ text, tone });

/** "epiloop-gateway-rescue.service (systemd user unit)" */
export function serviceName(facts: WizardFacts, kind: ServiceSupport['kind']): string {
  return kind === 'launchd' ? `${facts.paths.launchdLabel} (launchd agent)` : `${facts.paths.systemdUnit} (systemd user unit)`;
}

export function gatewayCommand(facts: WizardFacts, base?: number): string {
  return `${facts.invocation} gateway${base === undefined ? '' : ` --port ${base}`}`;
}

/** A directory of the profile as the summary lists it: kept where it was found (dirFound), else `missing` ("create"). */
export function dirLine(facts: WizardFacts, dir: string, missing: string): Line {
  return line(`  ${tildify(dir, facts.home)}/  directory 0700  ${dirFound(facts, dir) ? 'exists, kept' : missing}`);
}

/** "19789 gateway · 19791 browser control · 19793 canvas · 19800–19899 CDP": one line under 80 columns. */
export function portsLine(base: number, facts: WizardFacts): string {
  const fp = shapeOf(facts, base);
  return [
    `${fp.gateway} gateway`,
    `${fp.browserControl} browser control`,
    ...(fp.canvas === null ? [] : [`${fp.canvas} canvas`]),
    `${fp.cdp.from}–${fp.cdp.to} CDP`,
  ].join(' · ');
}

// ── a gateway.bind naming no address of this host: the gateway refuses to start until it changes ──

/** "the gateway refuses to start on 10.9.9.9": where a start is not offered, why. */
export function refusedStart(bound: string): string {
  return `the gateway refuses to start on ${bound}`;
}

/** The Network step, above its choices: what the config has, before either choice keeps or replaces it. */
export function strandedBindNote(bound: string): Line {
  return line(`! The config has gateway.bind ${bound}, not an address of this host: the gateway refuses to start with it.`, 'warn');
}

/** Until when the gateway refuses to start on that bind: either fix, named once, in the same words on Network, Service, the summary and the done screen. */
export function refusesUntil(bound: string): string {
  return `the gateway refuses to start until gateway.bind is changed or this host has ${bound}`;
}

/** Who reaches the gateway with that bind, in the summary and on the done screen: nobody, until it changes. */
export function strandedBindReach(bound: string): string {
  return `gateway.bind ${bound} is not an address of this host: ${refusesUntil(bound)}`;
}

/** The Service step, before any word of starting the gateway: the bind is fixed first, one choice: loopback, here (Network) or later by command. */
export function fixBindFirst(bound: string, invocation: string): Line[] {
  return [
    line(`! ${strandedBindReach(bound)}.`, 'warn'),
    line('Choose loopback on the Network step next; to do it later instead, run:'),
    line(`    ${bindFixCommand(invocation)}`, 'accent'),
  ];
}

// ── the repair list: a problem no automatic fix repairs may still be one the wizard's own steps fix ──

/** The findings the wizard's steps fix after m, and how: the doctor's own fix says only what to do by hand. */
const FIXED_BY_STEPS: Partial<Record<FindingKind, string>> = {
  'bind-address': 'loopback on Network',
};

/** "choose m, then loopback on Network — or by hand: …": a finding's fix on the repair list. */
export function repairFix(finding: Finding): string | null {
  const steps = FIXED_BY_STEPS[finding.kind];
  if (steps === undefined) return finding.fix;
  return `choose m, then ${steps}${finding.fix === null ? '' : ` — or ${finding.fix}`}`;
}

/** The repair list's heading where no finding has an automatic fix: what m fixes, what is left to do by hand. */
export function noAutomaticFix(list: readonly Finding[]): string {
  const bySteps = list.filter((f) => FIXED_BY_STEPS[f.kind] !== undefined);
  if (list.length === 1) return bySteps.length === 1 ? `m fixes it (${FIXED_BY_STEPS[list[0]!.kind]}), or fix it by hand as it says` : 'it has no fix here: fix it by hand as it says, then run onboard again';
  if (bySteps.length === 0) return 'none has a fix here: fix them by hand as each says, then run onboard again';
  return bySteps.length === list.length ? 'm fixes them (as each says), or fix them by hand' : 'none has an automatic fix: m fixes those that say so; fix the others by hand as each says, then run onboard again';
}

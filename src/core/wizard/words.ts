/**
 * How the wizard names things on screen: a body line and its tone, the service, the command
 * that runs the gateway, a footprint in one line. Light on purpose: the questions table
 * (read on every start of the CLI, for onboard's flags) uses these.
 */
import { shapeOf } from './answers';
import type { ServiceSupport, WizardFacts } from './facts';

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

import { footprintBounds } from '../src/core/ports/footprint';
import { tildify } from '../src/core/profile/paths';
import { managerKindFor } from '../src/host/service/manager';
import { serviceName } from '../src/core/wizard/words';
import { type WizardState } from '../src/core/wizard/model';
import { BodyRows, textRows, type Body } from './rows';

/** A unit is named only once the host said a service manager is usable: none could be installed on a host without one. */
function serviceRow(state: WizardState): string {
  if (state.service === null) return 'checking…';
  if (!state.service.usable) return 'none: no usable service manager on this host; the gateway runs by hand';
  return serviceName(state.facts, state.service.kind ?? managerKindFor(process.platform));
}

/** Which profile, where its files go, who else lives on this host. Nothing to focus: a long one scrolls. */
export function welcomeBody(state: WizardState): Body {
  const { paths, home, others } = state.facts;
  const shown = (p: string) => tildify(p, home);
  const width = state.view.columns;
  const rows: [string, string][] = [
    ['state dir', `${shown(paths.stateDir)}${paths.explicit.stateDir ? ' (from EPILOOP_STATE_DIR)' : ''}`],
    ['config', `${shown(paths.configPath)}${paths.explicit.configPath ? ' (from EPILOOP_CONFIG_PATH)' : ''}`],
    ['workspace', shown(state.answers.workspace)],
    ['service', serviceRow(state)],
  ];
  const body = new BodyRows().add(textRows(`Set up profile ${paths.label}: its own config, state, workspace and ports.`, width)).gap();
  for (const [name, value] of rows) body.add(textRows(`  ${name.padEnd(10)} ${value}`, width, {}, 13));
  body.gap();
  if (others.length === 0) body.add(textRows('No other profile on this host yet.', width));
  else {
    body.add(textRows('Other profiles on this host (their ports are kept clear):', width));
    for (const o of others.slice(0, 6)) {
      const span = o.footprint ? footprintBounds(o.footprint) : null;
      body.add(textRows(`  ${o.label.padEnd(10)} ${span ? `${span.low}–${span.high}` : 'ports unknown (config unreadable)'}`, width, {}, 13));
    }
    if (others.length > 6) body.add(textRows(`  and ${others.length - 6} more (epiloop ports shows them all)`, width, { dimColor: true }));
  }
  return body.gap().add(textRows('Nothing is written before the summary step.', width, { dimColor: true })).body();
}

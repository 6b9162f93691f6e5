import { Box, Text } from 'ink';
import { footprintBounds } from '../src/core/ports/footprint';
import { tildify } from '../src/core/profile/paths';
import { managerKindFor } from '../src/host/service/manager';
import { serviceName } from '../src/core/wizard/words';
import { type WizardState } from '../src/core/wizard/model';
import { Wrapped } from './Wrapped';

/** Which profile, where its files go, who else lives on this host. */
export function Welcome({ state }: { state: WizardState }) {
  const { paths, home, others } = state.facts;
  const shown = (p: string) => tildify(p, home);
  const width = state.view.columns;
  const rows: [string, string][] = [
    ['state dir', `${shown(paths.stateDir)}${paths.explicit.stateDir ? ' (from EPILOOP_STATE_DIR)' : ''}`],
    ['config', `${shown(paths.configPath)}${paths.explicit.configPath ? ' (from EPILOOP_CONFIG_PATH)' : ''}`],
    ['workspace', shown(state.answers.workspace)],
    // Once the host said no service manager is usable, no unit is named: none could be installed.
    ['service', state.service?.usable === false ? 'none: no usable service manager on this host; the gateway runs by hand' : serviceName(state.facts, managerKindFor(process.platform))],
  ];
  return (
    <Box flexDirection="column">
      <Wrapped text={`Set up profile ${paths.label}: its own config, state, workspace and ports.`} width={width} />
      <Box flexDirection="column" marginTop={1}>
        {rows.map(([name, value]) => (
          <Wrapped key={name} text={`  ${name.padEnd(10)} ${value}`} width={width} hang={13} />
        ))}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {others.length === 0 ? (
          <Text>No other profile on this host yet.</Text>
        ) : (
          <>
            <Wrapped text="Other profiles on this host (their ports are kept clear):" width={width} />
            {others.slice(0, 6).map((o) => {
              const span = o.footprint ? footprintBounds(o.footprint) : null;
              return (
                <Wrapped key={o.label} text={`  ${o.label.padEnd(10)} ${span ? `${span.low}–${span.high}` : 'ports unknown (config unreadable)'}`} width={width} hang={13} />
              );
            })}
            {others.length > 6 && <Wrapped text={`  and ${others.length - 6} more (epiloop ports shows them all)`} width={width} dimColor />}
          </>
        )}
      </Box>
      <Box marginTop={1}>
        <Text dimColor>Nothing is written before the summary step.</Text>
      </Box>
    </Box>
  );
}

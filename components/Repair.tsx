import { Box, Text } from 'ink';
import { tildify } from '../src/core/profile/paths';
import { findings } from '../src/core/wizard/state';
import { reviewBody } from '../src/core/wizard/summary';
import { Scrolled } from './Scrolled';
import { type WizardState } from '../src/core/wizard/model';

/** Findings shown at once above the focused one's detail; the rest scroll with the cursor. */
const LIST_ROWS = 6;

function FindingList({ state }: { state: WizardState }) {
  const list = findings(state);
  const { facts, cursor, repair } = state;
  const shown = tildify(facts.paths.configPath, facts.home);
  if (list.length === 0) {
    return (
      <Box flexDirection="column">
        <Text>Profile {facts.paths.label} already has a config: {shown}</Text>
        <Text color="green">✔ Nothing to repair: its ports, paths and permissions are in order.</Text>
      </Box>
    );
  }
  const top = Math.max(0, Math.min(cursor - LIST_ROWS + 1, list.length - LIST_ROWS));
  const focused = list[cursor]!;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        {shown} exists. {list.length} problem{list.length === 1 ? '' : 's'} found; pick what to fix:
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {list.slice(top, top + LIST_ROWS).map((f, offset) => {
          const i = top + offset;
          const box = f.fixable ? (repair.selected[i] ? '[x]' : '[ ]') : '   ';
          return (
            <Text key={i} wrap="truncate-end" bold={i === cursor}>
              {i === cursor ? '› ' : '  '}
              {box} <Text color={f.severity === 'error' ? 'red' : 'yellow'}>{f.severity === 'error' ? '✖ error  ' : '! warning'}</Text> {f.summary}
            </Text>
          );
        })}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {focused.detail.slice(0, 3).map((d) => (
          <Text key={d} dimColor wrap="truncate-end">
            {'    '}
            {d}
          </Text>
        ))}
        <Text wrap="wrap">{focused.fix ? `    fix: ${focused.fix}` : '    no automatic fix: edit the file by hand, then run onboard again'}</Text>
      </Box>
      {repair.error && <Text color="red">✖ {repair.error}</Text>}
    </Box>
  );
}

export function Repair({ state }: { state: WizardState }) {
  const { repair, facts } = state;
  switch (repair.phase) {
    case 'list':
    case 'failed':
      return <FindingList state={state} />;
    case 'planning':
      return <Text>Planning the fixes (nothing is written yet)…</Text>;
    case 'review':
      return <Scrolled lines={reviewBody(state)} state={state} />;
    case 'applying':
      return <Text>Repairing…</Text>;
    case 'done':
      return (
        <Box flexDirection="column">
          <Text color="green">✔ Repaired profile {facts.paths.label}.</Text>
          {repair.result?.applied.map((a) => (
            <Text key={a} wrap="truncate-end">
              {'  • '}
              {a}
            </Text>
          ))}
          {repair.result?.backupPath && <Text>  backup of the old config: {tildify(repair.result.backupPath, facts.home)}</Text>}
          {repair.plan?.notes.map((n) => (
            <Text key={n} color="yellow">
              {'  note: '}
              {n}
            </Text>
          ))}
          <Text>
            Next: <Text color="cyan">{facts.invocation} status</Text>
          </Text>
        </Box>
      );
  }
}

import { Box, Text } from 'ink';
import { tildify } from '../src/core/profile/paths';
import { findings } from '../src/core/wizard/state';
import { Scrolled } from './Scrolled';
import { Toned } from './Toned';
import { leftLines } from '../src/core/wizard/summary';
import { wrapAll } from '../src/core/text/wrap';
import { type WizardState } from '../src/core/wizard/model';
import { HeadedRow, Wrapped } from './Wrapped';

/** Findings shown at once above the focused one's detail; the rest scroll with the cursor. */
const LIST_ROWS = 6;

function FindingList({ state }: { state: WizardState }) {
  const list = findings(state);
  const { facts, cursor, repair } = state;
  const shown = tildify(facts.paths.configPath, facts.home);
  const width = state.view.columns;
  if (list.length === 0) {
    return (
      <Box flexDirection="column">
        <Wrapped text={`Profile ${facts.paths.label} already has a config: ${shown}`} width={width} />
        <Wrapped text="✔ Nothing to repair: its ports, paths and permissions are in order." width={width} hang={2} color="green" />
      </Box>
    );
  }
  const top = Math.max(0, Math.min(cursor - LIST_ROWS + 1, list.length - LIST_ROWS));
  const focused = list[cursor]!;
  return (
    <Box flexDirection="column">
      <Wrapped text={`${shown} exists. ${list.length} problem${list.length === 1 ? '' : 's'} found; pick what to fix:`} width={width} />
      <Box flexDirection="column" marginTop={1}>
        {list.slice(top, top + LIST_ROWS).map((f, offset) => {
          const i = top + offset;
          const box = f.fixable ? (repair.selected[i] ? '[x]' : '[ ]') : '   ';
          return (
            <HeadedRow
              key={i}
              head={[
                { text: `${i === cursor ? '› ' : '  '}${box} `, style: { bold: i === cursor } },
                { text: f.severity === 'error' ? '✖ error  ' : '! warning', style: { color: f.severity === 'error' ? 'red' : 'yellow', bold: i === cursor } },
                { text: ' ' },
              ]}
              rest={f.summary}
              width={width}
              restStyle={{ bold: i === cursor }}
            />
          );
        })}
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {focused.detail.slice(0, 3).map((d) => (
          <Wrapped key={d} text={`    ${d}`} width={width} dimColor />
        ))}
        <Wrapped text={focused.fix ? `    fix: ${focused.fix}` : '    no automatic fix: edit the file by hand, then run onboard again'} width={width} hang={9} />
      </Box>
      {repair.error && <Wrapped text={`✖ ${repair.error}`} width={width} hang={2} color="red" />}
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
      return <Scrolled state={state} />;
    case 'applying':
      return <Text>Repairing…</Text>;
    case 'left':
      return (
        <Box flexDirection="column">
          {wrapAll(leftLines(state), state.view.columns).map((line, i) => (
            <Toned key={i} line={line} />
          ))}
        </Box>
      );
    case 'done':
      return (
        <Box flexDirection="column">
          <Text color="green">✔ Repaired profile {facts.paths.label}.</Text>
          {repair.result?.applied.map((a) => (
            <Wrapped key={a} text={`  • ${a}`} width={state.view.columns} hang={4} />
          ))}
          {repair.result?.backupPath && <Wrapped text={`  backup of the old config: ${tildify(repair.result.backupPath, facts.home)}`} width={state.view.columns} />}
          {repair.plan?.notes.map((n) => (
            <Wrapped key={n} text={`  note: ${n}`} width={state.view.columns} hang={8} color="yellow" />
          ))}
          <Text>
            Next: <Text color="cyan">{facts.invocation} status</Text>
          </Text>
        </Box>
      );
  }
}

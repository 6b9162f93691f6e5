import { Box, Text } from 'ink';
import { shapeOf, proposedBase } from '../src/core/wizard/answers';
import { baseHint, hostStrip, spacingNote } from '../src/core/wizard/portview';
import { followsProposal, portMapOf, portRows, typedBase } from '../src/core/wizard/state';
import { HostStrip } from './HostStrip';
import { PortMap, portMapHeight } from './PortMap';
import { Wrapped } from './Wrapped';
import { frameLayout } from './Frame';
import { wrapText } from '../src/core/text/wrap';
import { type WizardState } from '../src/core/wizard/model';

/** Digits of the strip: "  host 18789 " before it and " 19899" after it. */
const STRIP_MARGIN = 20;
/** The strip and its labels; the legend is one more. */
const STRIP_LINES = 2;

/** The base, the live port map of its footprint, the host strip, and what is worth knowing about them. */
export function PortStep({ state }: { state: WizardState }) {
  const { facts, port, view } = state;
  const base = typedBase(state);
  const proposal = state.proposals?.[state.answers.role] ?? null;
  const proposed = port.suggestion ?? proposedBase(facts, state.proposals, state.answers.role);
  const notes: { text: string; color?: string }[] = [];
  if (port.error) notes.push({ text: `✖ ${port.error}`, color: 'red' });
  else if (port.confirming) notes.push({ text: 'Checking the ports; continuing when the check is done…' });
  else if (port.refused) notes.push({ text: `✖ Apply refused it: ${port.refused}${port.suggestion === null ? '' : ` Press p for ${port.suggestion}.`}`, color: 'red' });
  if (state.proposals === null && followsProposal(state)) notes.push({ text: 'Looking for a free block on this host…' });
  if (state.proposals !== null && proposal === null) notes.push({ text: 'No whole free block was found on this host: pick a base by hand.', color: 'yellow' });
  if (base !== null) {
    const spacing = spacingNote(base, facts.others);
    if (spacing) notes.push({ text: spacing, color: 'yellow' });
    if (proposal && base === proposal.base && proposal.ephemeralWarning) notes.push({ text: `Note: ${proposal.ephemeralWarning}`, color: 'yellow' });
    if (proposal && base === proposal.base && proposal.skipped.length > 0) {
      notes.push({ text: `Proposed: ${proposal.skippedCount} lower block${proposal.skippedCount === 1 ? '' : 's'} skipped, e.g. ${proposal.skipped[0]!.reason}` });
    }
  }
  // Where the body has too little room, the strip gives way (its legend first, then all of it):
  // the refusal and the notes under the map must show, and the map never moves.
  const shown = notes.slice(0, 3);
  const noteLines = shown.reduce((sum, n) => sum + wrapText(n.text, view.columns).length, 0);
  const mapLines = portMapHeight(portRows(state, base ?? state.answers.base), view.columns);
  const spare = frameLayout(state).room - (1 + 1 + mapLines + (noteLines > 0 ? 1 + noteLines : 0));
  const picture = hostStrip(facts.paths.label, shapeOf(facts, base ?? state.answers.base), facts.others, view.columns - STRIP_MARGIN);
  // The strip with its margin, its labels line and its legend (wrapped).
  const whole = 1 + STRIP_LINES + wrapText(`  ${picture.legend}`, view.columns).length;
  const strip = spare >= whole ? 'whole' : spare >= 1 + STRIP_LINES ? 'noLegend' : 'none';
  const stripLines = strip === 'whole' ? whole : strip === 'noLegend' ? 1 + STRIP_LINES : 0;
  return (
    <Box flexDirection="column">
      <Text>
        Base port <Text color="cyan" bold>› {port.text}</Text>
        <Text inverse> </Text>
        {base !== null && state.proposals !== null && base !== proposed && <Text dimColor>   (proposed: {proposed})</Text>}
      </Text>
      {base === null ? (
        // The map's room is kept while the field holds no base, so nothing below it jumps between digits.
        <Box marginTop={1} flexDirection="column" height={mapLines + stripLines}>
          <Wrapped text={baseHint()} width={view.columns} dimColor />
        </Box>
      ) : (
        <>
          <Box marginTop={1}>
            <PortMap {...portMapOf(state, base)} width={view.columns} />
          </Box>
          {strip !== 'none' && (
            <Box marginTop={1}>
              <HostStrip strip={picture} width={view.columns} legend={strip === 'whole'} />
            </Box>
          )}
        </>
      )}
      {notes.length > 0 && (
        <Box marginTop={1} flexDirection="column">
          {shown.map((n) => (
            <Wrapped key={n.text} text={n.text} width={view.columns} hang={n.text.startsWith('✖') ? 2 : 0} color={n.color} />
          ))}
        </Box>
      )}
    </Box>
  );
}

import { Text } from 'ink';
import { shapeOf, proposedBase } from '../src/core/wizard/answers';
import { baseHint, hostStrip, spacingNote } from '../src/core/wizard/portview';
import { followsProposal, portMapOf, portRows, typedBase } from '../src/core/wizard/state';
import { hostStripRows } from './HostStrip';
import { portMapHeight, portMapRows } from './PortMap';
import { frameLayout } from './Frame';
import { wrapText } from '../src/core/text/wrap';
import { type WizardState } from '../src/core/wizard/model';
import { blankRow, BodyRows, textRows, type Body } from './rows';

/** Digits of the strip: "  host 18789 " before it and " 19899" after it. */
const STRIP_MARGIN = 20;
/** The strip and its labels; the legend is one more. */
const STRIP_LINES = 2;

interface Note {
  text: string;
  color?: string;
  /** What Enter answered (a refusal, the wait for the check): it shows with the field, whatever the window. */
  answer?: boolean;
}

/**
 * The base, the live port map of its footprint, the host strip, and what is worth knowing about
 * them. The field is the focus, and with it what Enter answered: a small window scrolls the map
 * rather than hide either.
 */
export function portBody(state: WizardState): Body {
  const { facts, port, view } = state;
  const base = typedBase(state);
  const proposal = state.proposals?.[state.answers.role] ?? null;
  const proposed = port.suggestion ?? proposedBase(facts, state.proposals, state.answers.role);
  const notes: Note[] = [];
  if (port.error) notes.push({ text: `✖ ${port.error}`, color: 'red', answer: true });
  else if (port.confirming) notes.push({ text: 'Checking the ports; continuing when the check is done…', answer: true });
  else if (port.refused) notes.push({ text: `✖ Apply refused it: ${port.refused}${port.suggestion === null ? '' : ` Press p for ${port.suggestion}.`}`, color: 'red', answer: true });
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
  // Where the body has too little room, the strip gives way (its legend first, then all of it)
  // before the body scrolls: the refusal and the notes under the map must show, and the map never moves.
  const shown = notes.slice(0, 3);
  const noteLines = shown.reduce((sum, n) => sum + wrapText(n.text, view.columns, n.text.startsWith('✖') ? 2 : undefined).length, 0);
  const mapLines = portMapHeight(portRows(state, base ?? state.answers.base), view.columns);
  // Planned for the room left when the key line offers Tab (the body overflows): a body that fits
  // there fits without it too, so an answer under the map never turns the hint on and the field out of sight.
  const room = frameLayout(state, Number.MAX_SAFE_INTEGER).room;
  const spare = room - (1 + 1 + mapLines + (noteLines > 0 ? 1 + noteLines : 0));
  const picture = hostStrip(facts.paths.label, shapeOf(facts, base ?? state.answers.base), facts.others, view.columns - STRIP_MARGIN);
  // The strip with its margin, its labels line and its legend (wrapped).
  const whole = 1 + STRIP_LINES + wrapText(`  ${picture.legend}`, view.columns).length;
  const strip = spare >= whole ? 'whole' : spare >= 1 + STRIP_LINES ? 'noLegend' : 'none';
  const stripLines = strip === 'whole' ? whole : strip === 'noLegend' ? 1 + STRIP_LINES : 0;
  const field = (
    <Text>
      Base port{' '}
      <Text color="cyan" bold>
        › {port.text}
      </Text>
      <Text inverse> </Text>
      {base !== null && state.proposals !== null && base !== proposed && <Text dimColor>{`   (proposed: ${proposed})`}</Text>}
    </Text>
  );
  const noteRows = (n: Note) => textRows(n.text, view.columns, n.color === undefined ? {} : { color: n.color }, n.text.startsWith('✖') ? 2 : undefined);
  // What Enter answered goes under the map; where the window cannot hold the field, the map and
  // that answer at once (40×12), it goes right under the field, so both are in sight (the field
  // first: a refusal taller than what is left shows its start, and the map's hint says the range).
  const answers = shown.filter((n) => n.answer === true);
  const answerLines = answers.reduce((sum, n) => sum + noteRows(n).length, 0);
  const underField = answers.length > 0 && 2 + mapLines + stripLines + 1 + answerLines > room;
  const below = underField ? shown.filter((n) => n.answer !== true) : shown;
  const body = new BodyRows().add([field], { focus: true });
  if (underField) for (const n of answers) body.add(noteRows(n), { focus: true });
  body.gap();
  if (base === null) {
    // The map's room is kept while the field holds no base, so nothing below it jumps between digits.
    const hint = textRows(baseHint(), view.columns, { dimColor: true });
    body.add([...hint, ...Array.from({ length: Math.max(0, mapLines + stripLines - hint.length) }, blankRow)]);
  } else {
    body.add(portMapRows({ ...portMapOf(state, base), width: view.columns }));
    if (strip !== 'none') body.gap().add(hostStripRows({ strip: picture, width: view.columns, legend: strip === 'whole' }));
  }
  if (below.length > 0) body.gap();
  for (const n of below) body.add(noteRows(n), { focus: n.answer === true && 'answer' });
  return body.body();
}

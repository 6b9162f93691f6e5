import { Box, Text } from 'ink';
import { Fragment, useEffect, useRef } from 'react';
import { FLOW, stepNumber } from '../src/core/wizard/state';
import { keyHintLines } from '../src/core/wizard/hints';
import { questionAt } from '../src/core/wizard/questions';
import { type BodyMeasure, type WizardState } from '../src/core/wizard/model';
import { Wrapped } from './Wrapped';
import { wrapText } from '../src/core/text/wrap';
import { clampScroll, MIN_VIEW, windowTop } from '../src/core/wizard/view';
import type { Body } from './rows';

/** The titles of the steps that are no question; a question's comes from the questions table. */
const STEP_TITLE: Partial<Record<WizardState['step'], string>> = {
  welcome: 'Welcome',
  summary: 'Summary',
  apply: 'Apply',
  done: 'Next steps',
  repair: 'Repair',
  cancelled: 'Cancelled',
};

/** The frame's parts at this size: the heading, where we are, the key hints, and the rows left for the body. */
function layoutOf(state: WizardState) {
  const { step, facts, view } = state;
  const n = stepNumber(step);
  const title = questionAt(step)?.title ?? STEP_TITLE[step];
  const where = n > 0 ? `step ${n}/${FLOW.length} · ${title}` : title;
  const heading = `epiloop onboard · profile ${facts.paths.label}`;
  const hints = keyHintLines(state, view.columns);
  // Where the heading and the step do not fit on one line, the step goes under the heading.
  const oneLine = heading.length + 2 + (where ?? '').length <= view.columns;
  const titleLines = oneLine ? 1 : wrapText(heading, view.columns).length + 1;
  const hintLines = hints.reduce((sum, hint) => sum + wrapText(hint, view.columns).length, 0);
  // One row spare, so the frame never fills the terminal (Ink clears the whole screen then); a line
  // above and below the body (blank, or what is scrolled out of sight there).
  const room = Math.max(1, view.rows - 1 - titleLines - 2 - hintLines);
  return { where, heading, hints, oneLine, room };
}

/**
 * The frame for a body of this many lines. The key line offers scrolling only where the body
 * overflows, and that hint takes room: the layout with it is tried first, and a body that fits
 * even there gets the layout without it (which has at least as much room), so the two agree.
 */
export function frameLayout(state: WizardState, lines?: number) {
  if (lines === undefined) return layoutOf(state);
  const scrolling = layoutOf({ ...state, body: { lines, room: 0, anchor: 0 } });
  if (lines > scrolling.room) return scrolling;
  return layoutOf({ ...state, body: { lines, room: lines, anchor: 0 } });
}

/** "↑ 3 more lines": what a scrolled body has out of sight on that side, in the line beside it. */
function Beyond({ arrow, count }: { arrow: '↑' | '↓'; count: number }) {
  return <Text dimColor>{count > 0 ? `${arrow} ${count} more line${count === 1 ? '' : 's'}` : ' '}</Text>;
}

/**
 * Title line, the step's body, the key line: every step in the same frame, never taller than
 * the terminal. A body taller than its room scrolls: its focus (the cursor's row, the field
 * being typed) always shows, the lines out of sight are counted above and below it, and the
 * frame tells the reducer the body's height so PgUp/PgDn can scroll one that has no focus.
 */
export function Frame({
  state,
  body,
  onBody,
  onDraw,
}: {
  state: WizardState;
  body: Body;
  onBody: (body: BodyMeasure) => void;
  onDraw: (body: BodyMeasure | null) => void;
}) {
  const { view } = state;
  const small = view.columns < MIN_VIEW.columns || view.rows < MIN_VIEW.rows;
  const lines = body.rows.length;
  const layout = frameLayout(state, lines);
  // While it runs, the body has the room the terminal leaves and never more: the frame keeps its
  // height from key to key and never scrolls the terminal. The last frame (it stays) is whole.
  const clamped = state.exit === null && !small;
  // Where the focus put the window on this very screen: it moves only as far as the focus needs.
  // PgUp/PgDn move it from there (state.scroll), until the focus moves.
  const screen = `${state.step}/${state.repair.phase}/${state.editing}`;
  const last = useRef({ screen, anchor: 0 });
  const anchor = body.focus === null ? 0 : windowTop(lines, layout.room, body.focus, last.current.screen === screen ? last.current.anchor : 0);
  last.current = { screen, anchor };
  const measure = { lines, room: layout.room, anchor };
  const top = clamped ? anchor + clampScroll(measure, state.scroll) : 0;
  onDraw(clamped ? measure : null);
  useEffect(() => {
    if (clamped) onBody({ lines, room: layout.room, anchor });
  }, [clamped, lines, layout.room, anchor, onBody]);
  if (small) {
    return (
      <Text wrap="truncate-end">
        Window too small: need {MIN_VIEW.columns}×{MIN_VIEW.rows}
      </Text>
    );
  }
  const { where, heading, hints, oneLine, room } = layout;
  const shown = clamped ? body.rows.slice(top, top + room) : body.rows;
  return (
    <Box flexDirection="column" width={view.columns}>
      {oneLine ? (
        <Box justifyContent="space-between">
          <Text bold>{heading}</Text>
          <Text dimColor>{where}</Text>
        </Box>
      ) : (
        <>
          <Wrapped text={heading} width={view.columns} bold />
          <Text dimColor>{where}</Text>
        </>
      )}
      <Beyond arrow="↑" count={top} />
      <Box flexDirection="column" {...(clamped ? { height: room } : {})}>
        {shown.map((row, i) => (
          <Fragment key={top + i}>{row}</Fragment>
        ))}
      </Box>
      {(clamped || hints.length > 0) && <Beyond arrow="↓" count={clamped ? Math.max(0, lines - top - room) : 0} />}
      {hints.map((hint) => (
        <Wrapped key={hint} text={hint} width={view.columns} dimColor />
      ))}
    </Box>
  );
}

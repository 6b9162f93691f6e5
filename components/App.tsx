import { useApp, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { shapeOf } from '../src/core/wizard/answers';
import type { WizardIO } from '../src/ui/wizard/io';
import { ApplyRefused } from '../src/ui/wizard/io';
import { initialState, reduce, selectedKinds, typedBase } from '../src/core/wizard/state';
import type { WizardFacts } from '../src/core/wizard/facts';
import type { ExitCode } from '../src/core/errors';
import { questionAt } from '../src/core/wizard/questions';
import { applyBody } from './ApplyStep';
import { choiceBody } from './ChoiceStep';
import { doneBody } from './Done';
import { Frame } from './Frame';
import { pathsBody } from './PathsStep';
import { portBody } from './PortStep';
import { repairBody } from './Repair';
import { scrolledRows } from './Scrolled';
import { welcomeBody } from './Welcome';
import { textRows, type Body } from './rows';
import { type BodyMeasure, type WizardState } from '../src/core/wizard/model';

/** Long enough to let a burst of keys pass, short enough to feel live. */
export const PROBE_DEBOUNCE_MS = 90;
/** The port step probes its base again this often: a holder that exits shows free at the next probe. */
export const PROBE_REFRESH_MS = 1000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The body of the step, line by line (the frame scrolls it where it is taller than its room). */
function bodyOf(state: WizardState): Body {
  switch (state.step) {
    case 'welcome':
      return welcomeBody(state);
    case 'summary':
      return scrolledRows(state);
    case 'apply':
      return applyBody(state);
    case 'done':
      return doneBody(state);
    case 'repair':
      return repairBody(state);
    case 'cancelled':
      return { rows: textRows('Cancelled. Nothing was written.', state.view.columns, { color: 'yellow' }), focus: null };
  }
  // A question's step: any choice question draws itself from the table; the workspace and the base have their own screens.
  const question = questionAt(state.step)!;
  switch (question.kind) {
    case 'choice':
      return choiceBody(state, question);
    case 'text':
      return pathsBody(state, question);
    case 'port':
      return portBody(state);
  }
}

/**
 * The wizard's root: the one input handler (it forwards raw keys to the reducer), the I/O
 * each state asks for, and the one place that exits.
 */
export function App({ facts, io, onExit }: { facts: WizardFacts; io: WizardIO; onExit: (code: ExitCode) => void }) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [state, dispatch] = useReducer(reduce, facts, (f) => initialState(f, { columns: stdout.columns || 80, rows: stdout.rows || 24 }));

  // The body as last drawn goes with each key, so a key scrolls what is on screen even before the frame's report of it.
  const drawn = useRef<BodyMeasure | null>(null);
  useInput((input, key) => dispatch({ type: 'key', input, key, body: drawn.current }));

  useEffect(() => {
    const resized = () => dispatch({ type: 'resize', columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);

  useEffect(() => {
    io.propose().then(
      (proposals) => dispatch({ type: 'proposed', proposals }),
      () => dispatch({ type: 'proposed', proposals: { main: null, rescue: null } }),
    );
    io.detectService().then(
      (support) => dispatch({ type: 'service', support }),
      (error: unknown) => dispatch({ type: 'service', support: { usable: false, kind: null, reason: message(error) } }),
    );
  }, [io]);

  // The probe runs off the keystroke path, debounced; the map is drawn from the last snapshot meanwhile.
  // While the step is shown it runs again every second, and at once when Enter asks for a fresh one.
  const base = state.step === 'port' ? typedBase(state) : null;
  const probedBase = state.port.probe?.base ?? null;
  const stale = state.port.probe?.stale === true;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (base === null) return;
    const fresh = base !== probedBase || stale;
    let current = true;
    const timer = setTimeout(
      () => {
        io.probe(shapeOf(facts, base), { confirm: fresh }).then(
          (host) => {
            // A late answer is still a snapshot of the host for the map; only a current one sets the next probe.
            dispatch({ type: 'probed', base, host });
            if (current) setTick((t) => t + 1);
          },
          () => undefined,
        );
      },
      fresh ? (stale ? 0 : PROBE_DEBOUNCE_MS) : PROBE_REFRESH_MS,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [base, probedBase, stale, tick, io, facts]);

  // A path answer is taken once its symlinks are resolved (a link into another profile's workspace is refused on its step).
  const resolving = state.field.resolving;
  useEffect(() => {
    if (resolving === undefined) return;
    io.resolve(resolving).then(
      (real) => dispatch({ type: 'resolved', path: resolving, real }),
      () => dispatch({ type: 'resolved', path: resolving, real: resolving }),
    );
  }, [io, resolving]);

  useEffect(() => {
    if (!state.apply.running) return;
    io.apply(state.answers).then(
      (outcome) => dispatch({ type: 'applied', outcome }),
      (error: unknown) =>
        dispatch({
          type: 'applyFailed',
          message: message(error),
          backTo: error instanceof ApplyRefused ? error.backTo : 'summary',
          ...(error instanceof ApplyRefused && error.refusal !== undefined ? { refusal: error.refusal } : {}),
        }),
    );
    // Keyed on the start of a run only: the answers cannot change while it runs.
  }, [state.apply.running]);

  const phase = state.repair.phase;
  useEffect(() => {
    if (phase === 'planning') {
      io.planRepair(selectedKinds(state)).then(
        (plan) => dispatch({ type: 'repairPlanned', plan }),
        (error: unknown) => dispatch({ type: 'repairFailed', message: message(error) }),
      );
    } else if (phase === 'applying') {
      io.applyRepair(state.repair.plan!).then(
        (result) => dispatch({ type: 'repaired', result }),
        (error: unknown) => dispatch({ type: 'repairFailed', message: message(error) }),
      );
    }
    // Keyed on the phase only: the selection and the plan are fixed while a phase runs.
  }, [phase]);

  useEffect(() => {
    if (state.exit === null) return;
    onExit(state.exit.code);
    exit();
  }, [state.exit, onExit, exit]);

  const measured = useCallback((body: BodyMeasure) => dispatch({ type: 'body', body }), []);
  const seen = useCallback((body: BodyMeasure | null) => (drawn.current = body), []);
  return <Frame state={state} body={bodyOf(state)} onBody={measured} onDraw={seen} />;
}

import { useEffect, useReducer, useRef, useState } from 'react';
import { useStdout } from 'ink';
import type { LogEvent } from '../../src/core/log/event';
import { topProfiles } from '../../src/core/top/profiles';
import { rowCells } from '../../src/core/top/row';
import { outcomeHead } from '../../src/core/lifecycle/plan';
import { seenStates, sinceWords, type SeenStates } from '../../src/core/top/since';
import { initialTop, topReducer, type TopEvent, type TopState } from '../../src/core/top/state';
import type { TopFacts, TopFinding, TopIO } from '../../src/ui/top/io';

/** At least once a second, as the issue asks; a read that takes longer is not overlapped. */
export const REFRESH_MS = 1000;
/** Lines of the full log kept on screen to scroll through. */
const FULL_LOG = 500;
/** The log lines asked for until the facts size the log's share of the screen: a screenful. */
export const SCREENFUL = 24;

/**
 * What the screen starts from: the first read and the first profile's log when they came
 * before Ink drew anything (the first frame is then whole), or the first read still under way.
 */
export type TopStart = { facts: TopFacts; log: LogEvent[] } | { reading: Promise<TopFacts> };

export interface Top {
  state: TopState;
  dispatch: (event: TopEvent) => void;
  facts: TopFacts | null;
  /** The selected profile's last log events; null until the first profile's log has been read. */
  log: LogEvent[] | null;
  findings: TopFinding[] | null;
  /** Each profile's gateway state as the reads saw it, and when a refresh saw it stop (the details' since). */
  seen: SeenStates;
  size: { columns: number; rows: number };
}

/** Everything of a read the screen draws: the rows' cells, the gateways (since when too), the host's listeners. */
function drawnKey(facts: TopFacts, seen: SeenStates): string {
  const listeners = [...(facts.view.listeners ?? new Map()).entries()];
  const since = (r: TopFacts['rows'][number]) => sinceWords(r.gateway, seen.get(r.label)?.stoppedAt ?? null, facts.at);
  return JSON.stringify([facts.rows.map((r) => [rowCells(r, facts.at), since(r), r.gateway.pid, r.gateway.detail, r.watch?.note, r.watch?.profiles.map((w) => w.finding), r.service, r.mismatch]), listeners]);
}

/** The same events: the screen keeps what it draws, and draws nothing again. */
function sameLines(a: LogEvent[] | null, b: LogEvent[]): boolean {
  return a !== null && a.length === b.length && a.every((event, i) => JSON.stringify(event) === JSON.stringify(b[i]));
}


/** The screen's state and all its I/O: the refresh loop, the selected profile's log, the action a confirmed state asks for, doctor. */
export function useTop(io: TopIO, home: string, logLines: number, start?: TopStart): Top {
  const ready = start !== undefined && 'facts' in start ? start : null;
  const first = ready === null ? null : topProfiles(ready.facts.rows);
  const [state, dispatch] = useReducer(topReducer, initialTop, (s) => (first === null ? s : topReducer(s, { type: 'profiles', profiles: first })));
  // The profiles the state machine was last told of, as JSON: told again only when they change.
  const told = useRef(first === null ? '' : JSON.stringify(first));
  const [facts, setFacts] = useState<TopFacts | null>(ready?.facts ?? null);
  const [log, setLog] = useState<LogEvent[] | null>(ready?.log ?? null);
  const [findings, setFindings] = useState<TopFinding[] | null>(null);
  // What the reads saw, to tell when a gateway stopped: kept across reads, drawn from the last one drawn.
  const [seen, setSeen] = useState<SeenStates>(() => (ready === null ? new Map() : seenStates(new Map(), ready.facts.rows, ready.facts.at)));
  const seenNow = useRef(seen);
  const { stdout } = useStdout();
  const [size, setSize] = useState({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const selected = useRef<string | null>(null);
  selected.current = state.selected;
  const wanted = useRef(0);
  wanted.current = state.view === 'log' ? FULL_LOG : logLines;
  const [tick, setTick] = useState(0);
  const shown = useRef(ready === null ? '' : drawnKey(ready.facts, seenNow.current));
  // The first read started before Ink loaded: the first round takes it rather than reading again,
  // or, when the first frame already drew it, waits for the next refresh.
  const pending = useRef(start !== undefined && 'reading' in start ? start.reading : null);
  const drawnFirst = useRef(ready !== null);

  useEffect(() => {
    const resized = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);

  useEffect(() => {
    let alive = true;
    let timer: NodeJS.Timeout | undefined;
    const round = async () => {
      const first = pending.current;
      pending.current = null;
      const read = await (first ?? io.read());
      if (!alive) return;
      seenNow.current = seenStates(seenNow.current, read.rows, read.at);
      // Only what is drawn decides whether to draw again: an idle screen costs a read a second, not a frame.
      const drawn = drawnKey(read, seenNow.current);
      if (drawn !== shown.current) {
        shown.current = drawn;
        setFacts(read);
        setSeen(seenNow.current);
      }
      // What s may do changes with a config, drawn or not (a token deleted): the state machine hears it too.
      const profiles = topProfiles(read.rows);
      const known = JSON.stringify(profiles);
      if (known !== told.current) {
        told.current = known;
        dispatch({ type: 'profiles', profiles });
      }
      const label = selected.current ?? read.rows[0]?.label;
      if (label !== undefined) {
        const lines = await io.log(label, wanted.current);
        if (alive) setLog((before) => (sameLines(before, lines) ? before : lines));
      }
      if (alive) timer = setTimeout(() => void round().catch(failed), REFRESH_MS);
    };
    const failed = (error: unknown) => {
      if (!alive) return;
      dispatch({ type: 'done', ok: false, text: `Could not read the host: ${(error as Error).message}` });
      timer = setTimeout(() => void round().catch(failed), REFRESH_MS);
    };
    if (drawnFirst.current) {
      drawnFirst.current = false;
      timer = setTimeout(() => void round().catch(failed), REFRESH_MS);
    } else void round().catch(failed);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [io, home, tick]);

  // A new selection or view shows its own log at once, not at the next refresh.
  useEffect(() => {
    if (state.selected === null) return;
    let alive = true;
    void io.log(state.selected, wanted.current).then((lines) => alive && setLog((before) => (sameLines(before, lines) ? before : lines)), () => undefined);
    return () => {
      alive = false;
    };
  }, [io, state.selected, state.view]);

  useEffect(() => {
    if (state.view !== 'doctor' || state.selected === null) return;
    let alive = true;
    setFindings(null);
    void io.doctor(state.selected).then(
      (found) => alive && setFindings(found),
      (error: unknown) => alive && setFindings([{ severity: 'error', summary: `doctor could not run: ${(error as Error).message}`, fix: 'none automatic' }]),
    );
    return () => {
      alive = false;
    };
  }, [io, state.view, state.selected]);

  useEffect(() => {
    const busy = state.busy;
    if (busy === null) return;
    void io.act(busy.action, busy.label).then(
      (outcome) => {
        dispatch({ type: 'done', ok: outcome.ok, text: `${outcome.ok ? '✔' : '✘'} ${busy.label}: ${outcomeHead(outcome)}: ${outcome.detail}` });
        // Read the host at once: the change shows now, not at the next tick.
        setTick((t) => t + 1);
      },
      (error: unknown) => dispatch({ type: 'done', ok: false, text: `✘ ${busy.label}: ${busy.action} failed: ${(error as Error).message}` }),
    );
  }, [io, state.busy]);

  return { state, dispatch, facts, log, findings, seen, size };
}

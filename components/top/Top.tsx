import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useRef } from 'react';
import { portMap } from '../../src/core/host/view';
import { humanLines, timeFormFor } from '../../src/core/log/event';
import { doctorLines } from '../../src/core/top/doctor';
import { sinceWords } from '../../src/core/top/since';
import { hintLine, TOP_KEYS, topKeyOf } from '../../src/core/top/keys';
import { footerLines } from '../../src/core/top/footer';
import { footerRoom, scrolledLog, scrolledView, scrollLimit, topLayout } from '../../src/core/top/layout';
import { topTable, type GatewayState, type TopFit } from '../../src/core/top/row';
import { notInstalledWords, shownUnit } from '../../src/core/service/spec';
import { hangOf, wrapText } from '../../src/core/text/wrap';
import { hostStrip } from '../../src/core/wizard/portview';
import { describeGateway } from '../../src/host/gateway/live';
import { tildify } from '../../src/core/profile/paths';
import { invocationHere } from '../../src/host/profile/invocation';
import type { TopIO } from '../../src/ui/top/io';
import type { HostRow } from '../../src/host/top/rows';
import { HostStrip } from '../HostStrip';
import { PortMap, portMapHeight } from '../PortMap';
import { SCREENFUL, useTop, type TopStart } from './use-top';

const STATE_COLOR: Record<GatewayState, { color?: string; dimColor?: boolean }> = { up: { color: 'green' }, degraded: { color: 'yellow' }, down: { dimColor: true } };

/** A view's lines as the terminal shows them whole: wrapped between words, each continuation under its value. */
function wrapped(lines: string[], width: number): string[] {
  return lines.flatMap((l) => (l === '' ? [''] : wrapText(l, width, hangOf(l, width))));
}

/** The profile in detail: where it lives, its gateway (since when it is up or down), its service, what it watches and how those look. */
function detailLines(row: HostRow, home: string, paths: { configPath: string; stateDir: string }, since: string): string[] {
  const lines = [
    `${row.label} (${row.role}) · config ${tildify(paths.configPath, home)} ${row.config === 'ok' ? '' : `(${row.config})`}`.trimEnd(),
    `state dir  ${tildify(paths.stateDir, home)}`,
    `base       ${row.base ?? '?'}${row.serves !== null && row.serves !== row.base ? ` · serves ${row.serves}` : ''}`,
    `gateway    ${row.state}: ${describeGateway(row.gateway)}`,
    `since      ${since}`,
  ];
  if (row.mismatch !== null) lines.push(`           ${row.mismatch.text}`);
  const s = row.service;
  const unit = shownUnit(s);
  lines.push(`service    ${s.kind === null ? 'no service manager here' : `${unit === null ? '' : `${unit}: `}${s.installed ? s.state : notInstalledWords(s)}${s.pid === null ? '' : ` (pid ${s.pid})`}`}`);
  for (const m of s.mismatches) lines.push(`           ${m}`);
  if (row.watch === null) lines.push('watches    nothing');
  else {
    lines.push(`watches    ${row.watch.active ? 'by its running gateway' : (row.watch.note ?? '')}`);
    for (const r of row.watch.profiles) lines.push(`  ${r.profile}: ${r.notAnswering ? `${r.state} (not answering)` : r.state} · ${r.finding}`);
  }
  lines.push(`backup     ${row.lastBackup ?? 'none yet'}`);
  return lines;
}

/** `epiloop top`: every profile live, the selected one's ports and log below, actions that ask first. */
export function Top({ io, home, onExit, start }: { io: TopIO; home: string; onExit: () => void; start?: TopStart }) {
  const app = useApp();
  // The log's share of the screen is known once the facts are: until then, a screenful.
  const top = useTop(io, home, SCREENFUL, start);
  const { state, dispatch, facts, size } = top;
  // How far the view drawn last scrolls: ↑/↓ stop at its ends.
  const limit = useRef(0);
  // The table's columns as last drawn at this width: kept while its cells change by a few characters.
  const lastFit = useRef<TopFit | null>(null);
  useInput((input, key) => {
    const k = topKeyOf(input, key);
    if (k !== null) dispatch({ type: 'key', key: k, limit: limit.current });
    else if (key.ctrl && input === 'c') dispatch({ type: 'key', key: 'q' });
  });
  useEffect(() => {
    if (state.quit) {
      onExit();
      app.exit();
    }
  }, [state.quit, app, onExit]);

  const width = size.columns;
  // One row spare: a frame as tall as the terminal makes Ink clear the screen on every draw.
  const height = Math.max(1, size.rows - 1);
  if (facts === null) return <Text>Reading the host…</Text>;
  const rows = facts.rows;
  if (rows.length === 0) {
    return (
      <Box flexDirection="column">
        <Text bold>epiloop top · no profiles on this host yet</Text>
        <Text wrap="wrap">Create one with "epiloop setup" or "epiloop onboard"; this screen shows it as soon as it exists. q quits.</Text>
      </Box>
    );
  }
  const index = Math.max(0, rows.findIndex((r) => r.label === state.selected));
  const row = rows[index]!;
  const profile = facts.view.profiles.find((p) => p.paths.label === row.label)!;
  const ports = profile.footprint === null ? [] : portMap(facts.view, profile, profile.footprint);
  const view = state.view !== 'main';
  const footer =
    state.confirm !== null
      ? { text: `${state.confirm.action} ${state.confirm.label}${row.service.installed ? ` through ${row.service.name}` : ''}? y yes · n no`, color: 'cyan' }
      : state.busy !== null
        ? { text: `${state.busy.action} of ${state.busy.label}…`, color: 'cyan' }
        : state.message !== null
          ? { text: state.message.text, color: state.message.ok ? 'green' : 'red' }
          : { text: hintLine(width, view), dim: true };
  // An outcome wraps between words ("… pid 4242 exited" stays on screen); the frame's other parts give it
  // their rows. Past its room a refusal keeps its first line and its repair advice (footerLines).
  const footerText = footerLines(footer.text, width, footerRoom(height, view));
  const footerRows = footerText.length;
  // On a narrow terminal a port row's state wraps: the layout counts the lines the rows take as drawn (the heading aside).
  const portLines = (count: number) => portMapHeight(ports.slice(0, count), width) - 1;
  const others = facts.view.profiles.filter((p) => p !== profile).map((p) => ({ label: p.paths.label, base: p.base, footprint: p.footprint }));
  // The ports that are known, whichever profile's config is broken (that one is marked "!" under the strip).
  const strip = hostStrip(row.label, profile.footprint, others, Math.max(20, Math.min(64, width - 22)));
  const known = profile.footprint !== null || others.some((o) => o.footprint !== null);
  // Every profile on the strip is named: where a label does not fit under its block, the legend names it.
  const legend = known && strip.unlabelled.length > 0;
  const stripLines = 2 + (legend ? wrapText(`  ${strip.legend}`, width).length : 0);
  const layout = topLayout(height, rows.length, index, ports.length, { view, footer: footerRows, portLines, stripLines });
  const portRows = layout.ports;
  const hiddenPorts = ports.length - portRows;
  const logRows = layout.log;
  // Two columns for the selection mark; on a narrow terminal whole columns go, in list's order (ROW_FIT), then the pids
  // (topTable), and stay gone while a ticking uptime or a watched state would bring them back and take them again. A resize starts afresh.
  const { table: fitted, fit } = topTable(rows, facts.at, width - 2, lastFit.current ?? undefined);
  lastFit.current = fit;
  const cellsOf = (r: number) => fitted.lines.find((l) => l.row === r)!.cells;
  const gatewayAt = fitted.kept.indexOf(3);
  const wholeTitle = `epiloop top · ${rows.length} profile${rows.length === 1 ? '' : 's'} on this host · live · ? help · q quit`;
  const counted = `epiloop top · ${rows.length} profile${rows.length === 1 ? '' : 's'}`;
  // Narrower, the keys go before they are cut ("q q…"): the key line at the bottom names ? and q too.
  const titleLine = wholeTitle.length <= width ? wholeTitle : `${counted} · ? help · q quit`.length <= width ? `${counted} · ? help · q quit` : counted;

  // The log's events as lines (one each, more for a message of several lines), timed as `logs` times them at this width.
  const logLines = (top.log ?? []).flatMap((e) => humanLines(e, null, timeFormFor(width), width));

  let below: string[] | null = null;
  let title = '';
  if (state.view === 'details') [title, below] = [`${row.label} in detail · Esc back`, wrapped(detailLines(row, home, profile.paths, sinceWords(row.gateway, top.seen.get(row.label)?.stoppedAt ?? null, facts.at)), width)];
  else if (state.view === 'help') [title, below] = ['Keys · Esc back', wrapped(TOP_KEYS.map((k) => `${k.shows.padEnd(6)} ${k.does}`).concat(['y / n  answer a question (Enter is yes, Esc is no)', '!      after a name: it needs a fix; d says what is wrong']), width)];
  else if (state.view === 'doctor') {
    const found = top.findings;
    title = `doctor of ${row.label} (read-only) · Esc back`;
    below = found === null ? ['checking…'] : wrapped(doctorLines({ state: row.state, invocation: invocationHere(row.profile) }, found), width);
  } else if (state.view === 'log') {
    // Long lines wrap rather than being cut; the scroll counts lines as drawn. It opens on the newest
    // line, and says how many are out of sight above (and, scrolled up, below).
    // Wrapped under its message where that leaves 20 columns (hangOf's rule), else under the line's own start.
    const lines = logLines.flatMap((l) => wrapText(l.text, width, l.hang <= width - 20 ? l.hang : undefined));
    title = `log of ${row.label} · ↑/↓ scroll · Esc back`;
    below = top.log === null ? ['(reading the log…)'] : lines.length === 0 ? ['(no events yet)'] : lines;
  }
  // ↑/↓ scroll the view's body: the log up from its newest line, the others down from their top.
  limit.current = below === null ? 0 : scrollLimit(below.length, layout.body);
  const shown = below === null ? null : state.view === 'log' ? scrolledLog(below, layout.body, Math.min(state.scroll, limit.current)) : scrolledView(below, layout.body, state.scroll);

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate-end">
        {titleLine}
      </Text>
      {layout.strip && known ? <HostStrip strip={strip} width={width} legend={legend} /> : null}
      {layout.strip && !known ? <Text wrap="truncate-end">{`  host: no profile's ports are known (${strip.unknown})\n`}</Text> : null}
      <Text dimColor wrap="truncate-end">{`  ${cellsOf(0).join(fitted.gap)}`.trimEnd()}</Text>
      {rows.slice(layout.first, layout.first + layout.shown).map((r, i) => {
        const c = cellsOf(layout.first + i + 1);
        const mark = r.label === row.label ? '› ' : '  ';
        return (
          <Text key={r.label} wrap="truncate-end" bold={r.label === row.label}>
            {mark}
            {c.slice(0, gatewayAt).map((cell) => cell + fitted.gap).join('')}
            <Text {...STATE_COLOR[r.state]}>{c[gatewayAt]}</Text>
            {c.slice(gatewayAt + 1).map((cell) => fitted.gap + cell).join('').trimEnd()}
          </Text>
        );
      })}
      {shown !== null ? (
        <Box flexDirection="column" marginTop={1}>
          <Text bold wrap="truncate-end">{title}</Text>
          {shown.map((l, i) => (
            <Text key={i} wrap="truncate-end">{l === '' ? ' ' : l}</Text>
          ))}
        </Box>
      ) : (
        <>
          {portRows > 0 ? (
            <Box flexDirection="column" marginTop={1}>
              <PortMap rows={ports.slice(0, portRows)} width={width} confirmed />
              {hiddenPorts > 0 ? <Text dimColor>{`… ${hiddenPorts} more row${hiddenPorts === 1 ? '' : 's'}`}</Text> : null}
            </Box>
          ) : null}
          {logRows > 0 ? (
            <Box flexDirection="column" marginTop={1}>
              <Text dimColor wrap="truncate-end">{`  log of ${row.label} (l: all of it)`}</Text>
              {/* Until the log is read it is not called empty. */}
              {(top.log === null ? ['(reading the log…)'] : top.log.length === 0 ? ['(no events yet)'] : logLines.slice(-logRows).map((l) => l.text)).map((l, i) => (
                <Text key={i} wrap="truncate-end">{`  ${l}`}</Text>
              ))}
            </Box>
          ) : null}
        </>
      )}
      <Box flexGrow={1} />
      {footerText.map((l, i) => (
        <Text key={i} wrap="truncate-end" color={footer.color} dimColor={footer.dim}>
          {l}
        </Text>
      ))}
    </Box>
  );
}

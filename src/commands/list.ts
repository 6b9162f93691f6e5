import { EXIT, exitFor, type ExitCode } from '../core/errors';
import { invocationHere } from '../host/profile/invocation';
import { ROW_FIT, ROW_HEADINGS, rowCells } from '../core/top/row';
import { readRows } from '../host/top/rows';
import { table, tableWidth } from '../ui/output';
import { type CommandContext } from '../ui/context';
import type { JSON_FLAGS } from '../flags';

/** One line per profile: the facts `top` shows, once. Exits 1 when a gateway is degraded or a profile needs a fix before its gateway can start (its refusal, as status judges it). */
export async function run(ctx: CommandContext<typeof JSON_FLAGS>): Promise<ExitCode> {
  const { out } = ctx;
  const { rows } = await readRows({ home: ctx.home, env: ctx.env });
  const healthy = rows.every((r) => r.state !== 'degraded' && r.refusal === null);
  if (ctx.flags.json === true) {
    out.json({ profiles: rows, healthy });
    return exitFor(healthy);
  }
  if (rows.length === 0) {
    out.line('No epiloop profiles on this host yet.');
    out.line(`Create one: ${out.cyan(`${invocationHere(null)} setup`)} (default profile) or ${out.cyan(`${invocationHere('rescue')} setup`)}.`);
    return EXIT.ok;
  }
  const now = Date.now();
  const paint = { up: out.green, down: out.dim, degraded: out.yellow } as const;
  const lines = rows.map((row) => {
    const cells = rowCells(row, now);
    cells[3] = paint[row.state](cells[3]!);
    return cells;
  });
  for (const line of table([ROW_HEADINGS.map((h) => out.dim(h)), ...lines], tableWidth(out), ROW_FIT)) out.line(line);
  return exitFor(healthy);
}

/**
 * `list` is the facts of `status` and `ports`, once per profile: for the same host, every
 * fact it prints is the one those commands print (issue 15, "one truth").
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/ui/context';
import type { Output } from '../../src/ui/output';
import { resolveProfile } from '../../src/core/profile/paths';
import { run as list } from '../../src/commands/list';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { setupProfile, startGateway } from '../gateway/gateways';
import { freeBase } from '../helpers/ports';

const stable = (g: Record<string, unknown>) => {
  const { uptimeMs: _, ...rest } = g;
  return rest;
};
const watchStates = (w: { profiles: { profile: string; state: string; finding: string }[] } | null) => w?.profiles.map((r) => [r.profile, r.state, r.finding]) ?? null;

describe('epiloop list', () => {
  it('says of every profile what status --json and ports --json say of it', async () => {
    const { env } = await tempHome();
    await setupProfile(env, 'main');
    const lab = await setupProfile(env, 'lab');
    await setupProfile(env, 'rescue');
    expect((await runCli(['--profile', 'rescue', 'config', 'set', 'watch.profiles', '["main"]'], { env })).code).toBe(0);
    await startGateway(['--profile', 'main', 'gateway'], env);
    await startGateway(['--profile', 'lab', 'gateway'], env);
    // lab's config moves while its gateway serves the old base: degraded, by the host model's mismatch rule.
    const moved = await freeBase();
    expect((await runCli(['--profile', 'lab', 'config', 'set', 'gateway.port', String(moved)], { env })).code).toBe(0);

    const [list, ports, ...statuses] = await Promise.all([
      runCli(['list', '--json'], { env }),
      runCli(['ports', '--json'], { env }),
      ...['main', 'lab', 'rescue'].map((p) => runCli(['--profile', p, 'status', '--json'], { env })),
    ]);
    expect(list.code, list.stderr).toBe(1);
    const rows = JSON.parse(list.stdout).profiles as Record<string, any>[];
    expect(rows.map((r) => [r.label, r.state])).toEqual([
      ['lab', 'degraded'],
      ['main', 'up'],
      ['rescue', 'down'],
    ]);
    const byPorts = JSON.parse(ports.stdout).profiles as Record<string, any>[];
    for (const [i, name] of ['main', 'lab', 'rescue'].entries()) {
      const status = JSON.parse(statuses[i]!.stdout);
      const row = rows.find((r) => r.label === name)!;
      const inPorts = byPorts.find((p) => p.label === name)!;
      expect(stable(row.gateway)).toEqual(stable(status.gateway));
      expect(row.mismatch).toEqual(status.mismatch);
      expect(row.service).toEqual(status.service);
      expect(row.base).toBe(status.base.port);
      expect(watchStates(row.watch)).toEqual(watchStates(status.watch));
      expect(row.base).toBe(inPorts.base);
      expect(row.mismatch).toEqual(inPorts.mismatch);
      expect([row.gateway.running, row.gateway.pid, row.gateway.ports]).toEqual([inPorts.gateway.running, inPorts.gateway.pid, inPorts.gateway.ports]);
    }
    expect(rows.find((r) => r.label === 'lab')!.serves).toBe(lab.base);
    expect(rows.find((r) => r.label === 'rescue')!.watch.profiles[0]).toMatchObject({ profile: 'main', state: 'up' });

    const text = await runCli(['list'], { env });
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PROFILE +ROLE +BASE +GATEWAY +SERVICE +WATCHES +BACKUP$/);
    expect(lines[1]).toMatch(new RegExp(`^lab +other +${moved} +degraded · pid \\d+ · serves ${lab.base} `));
    expect(lines[2]).toMatch(/^main +main +\d+ +up · pid \d+ · \d+s /);
    expect(lines[3]).toMatch(/^rescue +rescue +\d+ +down +not installed +main up \(one check\) +\d+s ago$/);
  }, 60_000);

  it('names how to begin on an empty host, and --json is an empty list', async () => {
    const { env } = await tempHome();
    const text = await runCli(['list'], { env });
    expect([text.code, text.stdout.split('\n')[0]]).toEqual([0, 'No epiloop profiles on this host yet.']);
    expect(JSON.parse((await runCli(['list', '--json'], { env })).stdout)).toEqual({ profiles: [], healthy: true });
  });
});

/** `list` on a terminal of `columns`, its lines captured (no colour). */
async function listAt(home: string, columns: number): Promise<string[]> {
  const lines: string[] = [];
  const plain = (text: string) => text;
  const out: Output = { color: false, isTTY: true, columns, line: (text = '') => lines.push(text), error: (text) => lines.push(text), bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain, json: () => undefined, jsonLine: () => undefined };
  const ctx = { flags: {}, positionals: [], paths: resolveProfile({ flag: undefined, env: {}, home }), env: {}, home, out, invocation: 'epiloop' } as unknown as CommandContext;
  await list(ctx as never);
  return lines;
}

describe('epiloop list on a narrow terminal', () => {
  it('gives way column by column (ROLE, then SERVICE, WATCHES, BASE): one line per profile, BACKUP whole, nothing past the edge', async () => {
    const { home } = await tempHome();
    for (const [name, base, watch] of [['main', 18789, null], ['rescue', 19789, ['main']]] as const) {
      const paths = resolveProfile({ flag: name, env: {}, home });
      await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
      const config = { gateway: { port: base, auth: { token: 'a-token-of-more-than-16-chars' } }, ...(watch === null ? {} : { watch: { profiles: watch } }) };
      await writeFile(paths.configPath, JSON.stringify(config), { mode: 0o600 });
    }
    const wide = await listAt(home, 120);
    expect(wide[0]).toMatch(/^PROFILE +ROLE +BASE +GATEWAY +SERVICE +WATCHES +BACKUP$/);
    const headings = (columns: number, lines: string[]) => ({ columns, headings: lines[0]!.split(/ +/), lines: lines.length, widest: Math.max(...lines.map((l) => l.length)) });
    const at = (columns: number) => listAt(home, columns).then((lines) => headings(columns, lines));
    // ROLE goes first, then SERVICE: WATCHES ("main down (one check)"), what a rescue is for, stays while it fits.
    expect(await at(72)).toEqual({ columns: 72, headings: ['PROFILE', 'BASE', 'GATEWAY', 'SERVICE', 'WATCHES', 'BACKUP'], lines: 3, widest: expect.any(Number) });
    expect(await at(60)).toEqual({ columns: 60, headings: ['PROFILE', 'BASE', 'GATEWAY', 'WATCHES', 'BACKUP'], lines: 3, widest: expect.any(Number) });
    expect(await at(40)).toMatchObject({ headings: ['PROFILE', 'BASE', 'GATEWAY', 'BACKUP'], lines: 3 });
    for (const columns of [80, 60, 50, 40, 32]) {
      const lines = await listAt(home, columns);
      expect(Math.max(...lines.map((l) => l.length)), lines.join('\n')).toBeLessThanOrEqual(columns);
      expect(lines, lines.join('\n')).toHaveLength(3);
      expect(lines[0]).toMatch(/ BACKUP$/);
      expect(lines[1]).toMatch(/^main .* never$/);
    }
    // Columns stay two spaces apart at every width: the cells never run together ("not installed never").
    for (let columns = 30; columns <= 120; columns++) {
      const lines = await listAt(home, columns);
      const starts = [...lines[0]!.matchAll(/\S+/g)].map((m) => m.index).slice(1);
      for (const line of lines) for (const at of starts) expect(line.slice(at - 2, at), `${columns} columns:\n${lines.join('\n')}`).toBe('  ');
    }
  });
});

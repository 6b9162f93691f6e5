/**
 * One truth, one ask: `list` and `status` read each running gateway's /health once, in the
 * host model, and the watch section is drawn from that same answer (issues 11 and 15). The
 * gateways here are stand-ins in this process that count what they are asked.
 */
import http from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/ui/context';
import type { Output } from '../../src/ui/output';
import { resolveProfile } from '../../src/core/profile/paths';
import { run as list } from '../../src/commands/list';
import { run as status } from '../../src/commands/status';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

const TOKEN = 'a-token-of-more-than-16-chars';
const servers: http.Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A stand-in gateway of `name` at `base` (this process, by its lock): /health answers `watch`; every request is counted by path. */
async function standIn(home: string, name: string, base: number, watch: Record<string, unknown>[]): Promise<Map<string, number>> {
  const paths = resolveProfile({ flag: name, env: {}, home });
  await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
  const config = { gateway: { port: base, auth: { token: TOKEN } }, ...(watch.length === 0 ? {} : { watch: { profiles: watch.map((w) => w.profile) } }) };
  await writeFile(paths.configPath, JSON.stringify(config), { mode: 0o600 });
  const ports = { gateway: base, browserControl: base + 2, canvas: base + 4, cdp: { from: base + 11, to: base + 110 } };
  const startedAt = new Date().toISOString();
  await writeFile(path.join(paths.stateDir, 'gateway.lock'), JSON.stringify({ pid: process.pid, processStart: null, startedAt, host: '127.0.0.1', ports }));
  const asked = new Map<string, number>();
  const server = http.createServer((req, res) => {
    asked.set(req.url ?? '', (asked.get(req.url ?? '') ?? 0) + 1);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ profile: name, version: 'x', pid: process.pid, uptimeMs: 1000, startedAt, ports, watch, alerts: [] }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ port: base, host: '127.0.0.1' }, resolve));
  return asked;
}

/** A command run in this process with --json; what it printed as JSON. */
async function runJson(command: typeof list | typeof status, home: string, profile: string | undefined): Promise<Record<string, any>> {
  let printed: unknown;
  const plain = (text: string) => text;
  const out: Output = { color: false, isTTY: false, columns: 120, line: () => undefined, error: () => undefined, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain, json: (value) => (printed = value), jsonLine: () => undefined };
  const ctx = { flags: { json: true }, positionals: [], paths: resolveProfile({ flag: profile, env: {}, home }), env: {}, home, out, invocation: 'epiloop' } as unknown as CommandContext;
  await command(ctx as never);
  return printed as Record<string, any>;
}

describe('list and status ask each gateway once', () => {
  it("one GET /health per running gateway, and rescue's watch section is that same answer", async () => {
    const { home } = await tempHome();
    const checkedAt = new Date().toISOString();
    const watched = { profile: 'main', state: 'up', since: checkedAt, checkedAt, finding: 'answered by the stand-in', notAnswering: false, lastAlert: null, lastRestart: null, lastGood: null, rollback: null, lastRollback: null };
    const main = await standIn(home, 'main', await freeBase(), []);
    const rescue = await standIn(home, 'rescue', await freeBase(), [watched]);

    const rows = (await runJson(list, home, undefined)).profiles as Record<string, any>[];
    expect(rows.map((r) => [r.label, r.gateway.health])).toEqual([
      ['main', 'answered'],
      ['rescue', 'answered'],
    ]);
    expect(rows[1]!.watch).toMatchObject({ active: true, note: null, profiles: [watched] });
    expect([Object.fromEntries(main), Object.fromEntries(rescue)]).toEqual([{ '/health': 1 }, { '/health': 1 }]);

    main.clear();
    rescue.clear();
    const report = await runJson(status, home, 'rescue');
    expect([report.gateway.health, report.watch]).toEqual(['answered', { active: true, note: null, profiles: [watched], sinks: [] }]);
    // status asks only its own profile's gateway.
    expect([Object.fromEntries(main), Object.fromEntries(rescue)]).toEqual([{}, { '/health': 1 }]);
  });
});

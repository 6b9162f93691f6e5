/**
 * Fuzz: one profile's files of every type and shape (its config, its config-path pointer,
 * its gateway.lock, its service unit: text, bytes, deep nesting, 50 MB, a directory, a
 * FIFO, a socket, a symlink out, to /dev/zero, dangling) against every command of the
 * other profiles, run in this process so a run costs milliseconds. main's status, ports,
 * doctor and setup, rescue's doctor --target main and rescue's gateway must all still
 * succeed, promptly; lab's own status and doctor must answer (never a bug, never a hang).
 * Seeded: a failure prints its seed and the shrunk file.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/ui/context';
import type { Output } from '../../src/ui/output';
import { isUserFacing } from '../../src/core/errors';
import { resolveProfile, type ProfilePaths } from '../../src/core/profile/paths';
import { emptyHoldings, releaseHoldings, startGateway, type GatewayOptions } from '../../src/gateway/runtime';
import { createThrottledLog } from '../../src/gateway/log-throttle';

/** A gateway in this process, as `epiloop gateway` runs one: stop() lets go of all it holds. */
async function inProcessGateway(options: Omit<GatewayOptions, 'log' | 'throttled'>): Promise<{ stop(graceMs: number): Promise<void> }> {
  const held = emptyHoldings();
  await startGateway({ ...options, log: () => undefined, throttled: createThrottledLog(() => undefined, 10_000) }, held, new AbortController().signal);
  return { stop: (graceMs) => releaseHoldings(held, graceMs) };
}
import { run as status } from '../../src/commands/status';
import { run as ports } from '../../src/commands/ports';
import { run as doctor } from '../../src/commands/doctor';
import { run as setup } from '../../src/commands/setup';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

const SEED = 20_261_130;
/** Each run plants one file and runs eight commands: ~0.3 s a run on an idle 2-core machine. */
const RUNS = 30;
/** A command of another profile that takes longer than this is taken as hanging on the planted file. */
const PROMPT_MS = 8000;

interface Ran {
  code: number;
  lines: string[];
  json: unknown[];
  errors: string[];
}

function capture(): { out: Output; ran: Omit<Ran, 'code'> } {
  const ran = { lines: [] as string[], json: [] as unknown[], errors: [] as string[] };
  const plain = (text: string) => text;
  const out: Output = {
    color: false,
    isTTY: false,
    columns: 100,
    line: (text = '') => ran.lines.push(text),
    error: (text) => ran.errors.push(text),
    bold: plain,
    dim: plain,
    red: plain,
    green: plain,
    yellow: plain,
    cyan: plain,
    json: (value) => ran.json.push(JSON.parse(JSON.stringify(value))),
    jsonLine: (value) => ran.json.push(JSON.parse(JSON.stringify(value))),
  };
  return { out, ran };
}

/** Runs a command module as cli.ts does: a user-facing error is its exit code; anything else (a bug, exit 70) fails the test. */
async function command(run: (ctx: CommandContext) => Promise<number>, profile: string, flags: Record<string, unknown>, home: string, env: Record<string, string>): Promise<Ran> {
  const { out, ran } = capture();
  const paths = resolveProfile({ flag: profile, env, home });
  const ctx: CommandContext = { flags: flags as CommandContext['flags'], positionals: [], paths, env, home, cwd: home, out, invocation: `epiloop --profile ${profile}` };
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`epiloop --profile ${profile} ${run.name} ${JSON.stringify(flags)} took more than ${PROMPT_MS} ms`)), PROMPT_MS);
  });
  try {
    return { code: await Promise.race([run(ctx), slow]), ...ran };
  } catch (error) {
    if (isUserFacing(error)) return { code: error.exitCode, ...ran, errors: [...ran.errors, error.message] };
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Where lab's file goes, and what it is. */
type Target = 'config' | 'pointer' | 'lock' | 'unit';
type Plant =
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'deep'; depth: number; open: string }
  | { kind: 'big'; bytes: number }
  | { kind: 'dir' | 'fifo' | 'socket' | 'dangling' | 'unreadable' }
  | { kind: 'link'; to: string };

const json5Bits = fc.constantFrom('{', '}', '[', ']', ':', ',', '"', "'", '//', '/*', '*/', '\n', 'gateway', 'port', '65535', '0', '-1', '1e999', 'NaN', 'Infinity', 'null', '\\u0000', '\u001b[2J', 'token', 'watch', 'profiles', '"Main"', 'x'.repeat(50));
const plant: fc.Arbitrary<Plant> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 6 }).map((value) => ({ kind: 'text' as const, text: JSON.stringify(value) })) },
  {
    weight: 3,
    arbitrary: fc
      // Broken in every key, but claiming nothing of main's (a real claim, an overlap or a shared workspace, is main's finding too).
      .record({ gateway: fc.record({ port: fc.oneof(fc.integer({ min: -1, max: 20_000 }), fc.integer({ min: 40_000, max: 70_000 }), fc.string()), auth: fc.record({ token: fc.string() }) }, { requiredKeys: [] }), watch: fc.record({ profiles: fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }) }), agents: fc.record({ defaults: fc.record({ workspace: fc.constantFrom('/', '/etc', '~/lab-ws', 'rel', '~/.epiloop/workspace-lab', '\u001b]0;pwned\u0007') }) }) }, { requiredKeys: [] })
      .map((value) => ({ kind: 'text' as const, text: JSON.stringify(value) })),
  },
  { weight: 2, arbitrary: fc.array(json5Bits, { maxLength: 60 }).map((bits) => ({ kind: 'text' as const, text: bits.join('') })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
  { weight: 2, arbitrary: fc.record({ depth: fc.integer({ min: 50, max: 20_000 }), open: fc.constantFrom('[', '{"x":') }).map((d) => ({ kind: 'deep' as const, ...d })) },
  { weight: 1, arbitrary: fc.integer({ min: 1024 * 1024 - 2, max: 60 * 1024 * 1024 }).map((bytes) => ({ kind: 'big' as const, bytes })) },
  { weight: 3, arbitrary: fc.constantFrom('dir', 'fifo', 'socket', 'dangling', 'unreadable').map((kind) => ({ kind }) as Plant) },
  { weight: 2, arbitrary: fc.constantFrom('/dev/zero', '/dev/urandom', '/dev/null', '/proc/self/environ', '/etc/passwd', '../.epiloop-main/epiloop.json', 'inside.json').map((to) => ({ kind: 'link' as const, to })) },
);
const target = fc.oneof({ weight: 5, arbitrary: fc.constant<Target>('config') }, { weight: 1, arbitrary: fc.constantFrom<Target>('pointer', 'lock', 'unit') });

const sockets: net.Server[] = [];

async function place(home: string, where: Target, what: Plant): Promise<void> {
  const dir = path.join(home, '.epiloop-lab');
  const unitDir = path.join(home, '.config', 'systemd', 'user');
  await Promise.all([rm(dir, { recursive: true, force: true }), rm(path.join(unitDir, 'epiloop-gateway-lab.service'), { recursive: true, force: true })]);
  await Promise.all(sockets.splice(0).map((s) => new Promise((r) => s.close(r))));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await mkdir(unitDir, { recursive: true });
  // lab is a real profile beside the planted file (unless the planted file is its config).
  await writeFile(path.join(dir, 'inside.json'), '{ gateway: { port: 40000 } }');
  if (where !== 'config') await writeFile(path.join(dir, 'epiloop.json'), '{ "gateway": { "port": 40000 } }');
  const file = { config: path.join(dir, 'epiloop.json'), pointer: path.join(dir, 'config-path'), lock: path.join(dir, 'gateway.lock'), unit: path.join(unitDir, 'epiloop-gateway-lab.service') }[where];
  switch (what.kind) {
    case 'text':
      return writeFile(file, what.text);
    case 'bytes':
      return writeFile(file, what.bytes);
    case 'deep':
      return writeFile(file, `{"a":${what.open.repeat(what.depth)}1${(what.open === '[' ? ']' : '}').repeat(what.depth)}}`);
    case 'big':
      // Sparse: a 60 MB file costs nothing to make, and read() would still hand over every byte.
      await writeFile(file, '{"x":"');
      return truncate(file, what.bytes);
    case 'dir':
      return mkdir(file).then(() => undefined);
    case 'fifo':
      execFileSync('mkfifo', [file]);
      return;
    case 'socket': {
      const server = net.createServer();
      sockets.push(server);
      await new Promise<void>((resolve) => server.listen(file, resolve));
      return;
    }
    case 'dangling':
      return symlink('nowhere', file);
    case 'unreadable':
      // As root this still reads (the CLI test runs it as nobody); as anyone else it is EACCES.
      await writeFile(file, '{}');
      return chmod(file, 0o000);
    case 'link':
      return symlink(what.to, file);
  }
}

describe('one profile\'s files of any type and shape never break another profile\'s command', () => {
  let home: string;
  let env: Record<string, string>;
  let main: ProfilePaths;
  let mainGateway: { stop(graceMs: number): Promise<void> } | undefined;
  let mainConfig: string;

  beforeAll(async () => {
    ({ home, env } = await tempHome());
    for (const profile of ['main', 'rescue']) {
      const done = await command(setup, profile, { port: await freeBase() }, home, env);
      expect(done.code, done.errors.join('\n')).toBe(0);
    }
    main = resolveProfile({ flag: 'main', env, home });
    mainConfig = await (await import('node:fs/promises')).readFile(main.configPath, 'utf8');
    mainGateway = await inProcessGateway({ paths: main, home, env, port: undefined, invocation: 'epiloop --profile main' });
  }, 60_000);

  afterAll(async () => {
    await mainGateway?.stop(1000);
    await Promise.all(sockets.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it(`${RUNS} seeded runs: main and rescue answer as if lab were not there`, async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(target, plant, async (where, what) => {
        runs++;
        await place(home, where, what);

        const mainStatus = await command(status, 'main', { json: true }, home, env);
        expect(mainStatus.code, JSON.stringify(mainStatus.json)).toBe(0);
        expect(mainStatus.json[0]).toMatchObject({ label: 'main', config: { state: 'ok' }, healthy: true, problems: [] });

        const map = await command(ports, 'main', { json: true }, home, env);
        const rows = (map.json[0] as { profiles: { label: string; config: string }[] }).profiles;
        expect(rows.find((p) => p.label === 'main')).toMatchObject({ config: 'ok' });
        expect(rows.find((p) => p.label === 'rescue')).toMatchObject({ config: 'ok' });
        expect([0, 1]).toContain(map.code);

        const mainDoctor = await command(doctor, 'main', { json: true }, home, env);
        expect(mainDoctor.json[0], JSON.stringify(mainDoctor.json)).toMatchObject({ healthy: true, findings: [] });
        const target = await command(doctor, 'rescue', { json: true, target: 'main' }, home, env);
        expect(target.json[0]).toMatchObject({ label: 'main', from: 'rescue', healthy: true, findings: [] });

        const again = await command(setup, 'main', {}, home, env);
        expect(again.code, again.errors.join('\n')).toBe(0);
        expect(await (await import('node:fs/promises')).readFile(main.configPath, 'utf8')).toBe(mainConfig);

        // rescue's gateway starts and stops beside lab's file (main's has run all along).
        const rescue = await inProcessGateway({ paths: resolveProfile({ flag: 'rescue', env, home }), home, env, port: undefined, invocation: 'epiloop --profile rescue' });
        await rescue.stop(1000);

        // lab's own commands answer: healthy or not, a user-facing answer, never a bug or a hang.
        for (const run of [status, doctor]) {
          const own = await command(run, 'lab', { json: true }, home, env);
          expect([0, 1, 2]).toContain(own.code);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(runs).toBe(RUNS);
  }, 300_000);
});

/**
 * What of the host keeps a profile's gateway from starting — a cdpUrl on another profile's
 * ports, a gateway.lock no gateway can take, a base whose footprint lands in another profile's —
 * is said alike by status, browser status, top's s and start itself: no surface offers a start
 * that start refuses, start refuses before it runs anything (never "failed" after a gateway
 * exited), and status and start name the problem and its fix in the same words.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { topProfiles } from '../../src/core/top/profiles';
import { topTable } from '../../src/core/top/row';
import { topReader } from '../../src/host/top/reader';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { setupProfile, startGateway } from '../gateway/gateways';

// A start that is not refused runs a detached gateway: whatever a test started is stopped.
const homes: Record<string, string>[] = [];
afterEach(async () => {
  while (homes.length > 0) await runCli(['stop', '--all', '--wait', '3'], { env: homes.pop()!, timeoutMs: 20_000 });
});

/** No interface has it: TEST-NET-3 (RFC 5737). */
const NOT_HERE = '203.0.113.9';
const PORTS_FIX = 'Move this profile to a free base with "epiloop --profile lab onboard" (or "epiloop --profile lab doctor --fix")';
const REMOTE_FIX = 'Fix it with "epiloop --profile lab doctor --fix", or point it at a Chrome of its own';
const LOCK_WORDS = 'No gateway of this profile can start while it is there: remove it (rm ~/.epiloop-lab/gateway.lock)';

interface Lab {
  home: string;
  env: Record<string, string>;
  main: { base: number };
  file: string;
  original: string;
}

/** main and lab set up on free bases; lab is the profile every surface is asked about. */
async function twoProfiles(): Promise<Lab> {
  const { home, env } = await tempHome();
  homes.push(env);
  const main = await setupProfile(env, 'main');
  const lab = await setupProfile(env, 'lab');
  return { home, env, main, file: lab.configPath, original: await readFile(lab.configPath, 'utf8') };
}

async function editLab(lab: Lab, edit: (config: { gateway: Record<string, unknown>; [key: string]: unknown }) => void): Promise<void> {
  const config = JSON.parse(lab.original);
  edit(config);
  await writeFile(lab.file, JSON.stringify(config, null, 2), { mode: 0o600 });
}

/** What each surface says of lab: status's and browser status's problems, top's s, and a start (its text, continuation indents dropped). */
async function surfaces(lab: Lab) {
  const status = JSON.parse((await runCli(['--profile', 'lab', 'status', '--json'], { env: lab.env })).stdout);
  const browser = JSON.parse((await runCli(['--profile', 'lab', 'browser', 'status', '--json'], { env: lab.env })).stdout);
  const top = topProfiles((await topReader({ home: lab.home, env: lab.env })()).rows).find((p) => p.label === 'lab');
  const start = await runCli(['--profile', 'lab', 'start', '--wait', '5'], { env: lab.env, timeoutMs: 20_000 });
  return {
    status: (status.problems as string[]).join('\n'),
    claimedRows: (status.ports as { from: number; to: number; label: string; text: string; state: string }[]).filter((r) => r.state === 'claimed'),
    browser: (browser.problems as string[]).join('\n'),
    top: top!.startRefused ?? null,
    start: { code: start.code, text: start.stdout.replaceAll(/\n {4,}/g, '\n') },
  };
}

/** The status port map's words for a row, as its problems list it. */
function rowWords(row: { from: number; to: number; label: string; text: string }): string {
  return `${row.from === row.to ? row.from : `${row.from}–${row.to}`} (${row.label}): ${row.text}`;
}

/** Every surface refuses the start, and status, browser status and start say `words`; top names `fix`. */
function expectAgreement(said: Awaited<ReturnType<typeof surfaces>>, words: readonly string[], fix: string): void {
  expect(said.start.code, said.start.text).toBe(1);
  expect(said.start.text).toMatch(/^ {2}✘ refused: /m);
  expect(said.start.text).not.toMatch(/exited|gateway\.err/);
  expect(said.status).not.toMatch(/Start it/);
  expect(said.browser).not.toMatch(/Start it/);
  expect(said.top).toMatch(/^✘ lab: not started: it can start once [^.]+\. /);
  expect(said.top).toContain(fix);
  for (const w of words) {
    expect(said.status, 'status').toContain(w);
    expect(said.browser, 'browser status').toContain(w);
    expect(said.start.text, 'start').toContain(w);
  }
}

describe('a start the host refuses, said alike by status, browser status, top and start', () => {
  it('a cdpUrl on another profile\'s ports: status and top no longer offer the start that start refuses', { timeout: 60_000 }, async () => {
    const lab = await twoProfiles();
    await editLab(lab, (c) => (c.browser = { cdpUrl: `http://127.0.0.1:${lab.main.base}` }));
    const said = await surfaces(lab);
    expectAgreement(said, [`browser.cdpUrl: port ${lab.main.base} is inside main's gateway`, REMOTE_FIX], REMOTE_FIX);
  });

  it('a gateway.lock no gateway can take (a FIFO): top and browser status no longer offer the start that start refuses', { timeout: 60_000 }, async () => {
    const lab = await twoProfiles();
    execFileSync('mkfifo', [path.join(lab.home, '.epiloop-lab', 'gateway.lock')]);
    const said = await surfaces(lab);
    expectAgreement(said, ['~/.epiloop-lab/gateway.lock is a FIFO (named pipe), not a regular file', LOCK_WORDS], 'Remove it (rm ~/.epiloop-lab/gateway.lock)');
  });

  it('a base inside another profile\'s footprint: start refuses it before a gateway runs, with the port map\'s words, and status and top no longer offer it', { timeout: 60_000 }, async () => {
    const lab = await twoProfiles();
    // lab's browser control and canvas land in main's CDP range (main.base + 11 …).
    await editLab(lab, (c) => (c.gateway.port = lab.main.base + 10));
    const said = await surfaces(lab);
    expect(said.claimedRows.length).toBeGreaterThan(0);
    expectAgreement(said, [...said.claimedRows.map(rowWords), PORTS_FIX], PORTS_FIX);
  });
});

describe('status and start, held against each other', () => {
  it('over a table of refused configs: status offers no start, start refuses, and both name the problem and its fix in the same words', { timeout: 240_000 }, async () => {
    const lab = await twoProfiles();
    const lock = path.join(lab.home, '.epiloop-lab', 'gateway.lock');
    const table: { what: string; make: () => Promise<void>; words: (rows: string[]) => string[]; undo?: () => Promise<void> }[] = [
      {
        what: 'no token',
        make: () => editLab(lab, (c) => delete (c.gateway as { auth?: unknown }).auth),
        words: () => ['Profile "lab" has no gateway.auth.token, so nothing could authenticate to it.', 'Fix it with "epiloop --profile lab doctor --fix"'],
      },
      {
        what: 'watching itself',
        make: () => editLab(lab, (c) => (c.watch = { profiles: ['lab'] })),
        words: () => ['watch.profiles: profile "lab" cannot watch itself', 'Fix it with "epiloop --profile lab doctor --fix"'],
      },
      {
        what: 'a bind on no address of this host',
        make: () => editLab(lab, (c) => (c.gateway.bind = NOT_HERE)),
        words: () => [`gateway.bind is "${NOT_HERE}", not an address of this host.`, 'Fix: set gateway.bind to an address of this host'],
      },
      {
        what: 'a cdpUrl on another profile\'s gateway',
        make: () => editLab(lab, (c) => (c.browser = { cdpUrl: `http://127.0.0.1:${lab.main.base}` })),
        words: () => [`browser.cdpUrl: port ${lab.main.base} is inside main's gateway`, REMOTE_FIX],
      },
      {
        what: 'a lock that is a FIFO',
        make: async () => {
          await writeFile(lab.file, lab.original, { mode: 0o600 });
          execFileSync('mkfifo', [lock]);
        },
        undo: () => rm(lock),
        words: () => ['~/.epiloop-lab/gateway.lock is a FIFO (named pipe), not a regular file', LOCK_WORDS],
      },
      {
        what: 'a base inside another profile\'s footprint',
        make: () => editLab(lab, (c) => (c.gateway.port = lab.main.base + 10)),
        words: (rows) => [...rows, PORTS_FIX],
      },
    ];
    for (const row of table) {
      await row.make();
      const status = JSON.parse((await runCli(['--profile', 'lab', 'status', '--json'], { env: lab.env })).stdout);
      const start = await runCli(['--profile', 'lab', 'start', '--wait', '5'], { env: lab.env, timeoutMs: 20_000 });
      await row.undo?.();
      const problems = (status.problems as string[]).join('\n');
      const started = start.stdout.replaceAll(/\n {4,}/g, '\n');
      const rows = (status.ports as { from: number; to: number; label: string; text: string; state: string }[]).filter((r) => r.state === 'claimed').map(rowWords);
      expect([row.what, problems.includes('Start it'), start.code, /✘ refused: /.test(started)]).toEqual([row.what, false, 1, true]);
      for (const w of row.words(rows)) {
        expect(problems, `${row.what}: status`).toContain(w);
        expect(started, `${row.what}: start`).toContain(w);
      }
    }
  });
});

/** What status, status --json, list --json, list and top's rows say of lab, one read each. */
async function attention(lab: Lab) {
  const [text, json, list, listText] = await Promise.all([
    runCli(['--profile', 'lab', 'status'], { env: lab.env }),
    runCli(['--profile', 'lab', 'status', '--json'], { env: lab.env }),
    runCli(['list', '--json'], { env: lab.env }),
    runCli(['list'], { env: lab.env }),
  ]);
  const status = JSON.parse(json.stdout);
  const listed = JSON.parse(list.stdout);
  const row = (listed.profiles as Record<string, any>[]).find((r) => r.label === 'lab')!;
  const read = await topReader({ home: lab.home, env: lab.env })();
  const drawn = topTable(read.rows, Date.now(), 200).table.lines.map((l) => l.cells[0]?.trimEnd());
  const [top] = topProfiles(read.rows.filter((r) => r.label === 'lab'));
  return {
    text: { code: text.code, config: /^ {2}config +\S+ +(.+)$/m.exec(text.stdout)?.[1] ?? null },
    json: { code: json.code, status },
    list: { code: list.code, healthy: listed.healthy, row, line: listText.stdout.split('\n').find((l) => l.startsWith('lab')) ?? '' },
    top: { name: drawn.find((c) => c?.startsWith('lab')), said: top!.state === 'down' ? top!.startRefused : top!.restartRefused },
  };
}

describe('status, status --json, list --json and top\'s rows, held against each other', () => {
  it('over a table of refused starts: each says the profile needs a fix, with the same blocker and fix, and status --json\'s config state is the text\'s', { timeout: 240_000 }, async () => {
    const lab = await twoProfiles();
    const lock = path.join(lab.home, '.epiloop-lab', 'gateway.lock');
    const table: { what: string; make: () => Promise<void>; config: 'refused' | 'ok'; undo?: () => Promise<void> }[] = [
      { what: 'no token', config: 'refused', make: () => editLab(lab, (c) => delete (c.gateway as { auth?: unknown }).auth) },
      { what: 'watching itself', config: 'refused', make: () => editLab(lab, (c) => (c.watch = { profiles: ['lab'] })) },
      { what: 'a bind on no address of this host', config: 'refused', make: () => editLab(lab, (c) => (c.gateway.bind = NOT_HERE)) },
      { what: 'a cdpUrl on another profile\'s gateway', config: 'ok', make: () => editLab(lab, (c) => (c.browser = { cdpUrl: `http://127.0.0.1:${lab.main.base}` })) },
      {
        what: 'a lock that is a FIFO',
        config: 'ok',
        make: async () => {
          await writeFile(lab.file, lab.original, { mode: 0o600 });
          execFileSync('mkfifo', [lock]);
        },
        undo: () => rm(lock),
      },
      { what: 'a base inside another profile\'s footprint', config: 'ok', make: () => editLab(lab, (c) => (c.gateway.port = lab.main.base + 10)) },
    ];
    for (const row of table) {
      await row.make();
      const said = await attention(lab);
      await row.undo?.();
      const { status } = said.json;
      expect([row.what, said.text.code, said.json.code, status.healthy, said.list.code, said.list.healthy]).toEqual([row.what, 1, 1, false, 1, false]);
      // The text's config word and --json's config state: "needs a fix" is "refused".
      expect([row.what, status.config.state, said.text.config]).toEqual([row.what, row.config, row.config === 'refused' ? 'needs a fix' : 'ok']);
      if (row.config === 'refused') expect(status.config.problems.length, row.what).toBeGreaterThan(0);
      expect(status.refusal, row.what).toEqual({ blocker: expect.any(String), fix: expect.any(String) });
      expect(said.list.row.refusal, row.what).toEqual(status.refusal);
      expect([row.what, said.list.line]).toEqual([row.what, expect.stringMatching(/^lab ! /)]);
      expect([row.what, said.top.name]).toEqual([row.what, 'lab !']);
      expect(said.top.said, row.what).toContain(`it can start once ${status.refusal.blocker}`);
      expect(said.top.said, row.what).toContain(status.refusal.fix);
    }
    // Back to the config setup wrote: nothing needs a fix, and every surface says so.
    await writeFile(lab.file, lab.original, { mode: 0o600 });
    const clean = await attention(lab);
    expect([clean.json.status.config.state, clean.json.status.refusal, clean.list.row.refusal, clean.top.name, clean.top.said]).toEqual(['ok', null, null, 'lab', undefined]);
  });

  it('a running gateway whose gateway.bind was set to no address of this host: status --json, list and top mark it, as status does', { timeout: 60_000 }, async () => {
    const lab = await twoProfiles();
    await startGateway(['--profile', 'lab', 'gateway'], lab.env);
    const set = await runCli(['--profile', 'lab', 'config', 'set', 'gateway.bind', NOT_HERE], { env: lab.env });
    expect(set.code, set.stderr).toBe(0);
    const said = await attention(lab);
    expect([said.text.code, said.text.config, said.json.code, said.json.status.config.state, said.list.code, said.list.healthy]).toEqual([1, 'needs a fix', 1, 'refused', 1, false]);
    expect(said.json.status.config.problems.join('\n')).toContain(`gateway.bind is "${NOT_HERE}", not an address of this host.`);
    expect(said.list.row.refusal).toEqual(said.json.status.refusal);
    expect(said.list.row.state).toBe('up');
    expect(said.list.line).toMatch(/^lab ! /);
    expect(said.top.name).toBe('lab !');
    expect(said.top.said).toMatch(/^✘ lab: not restarted: it can restart once the config is repaired; its gateway keeps running\. Fix: set gateway\.bind/);
  });
});

describe('start on a running gateway whose config a restart would refuse', () => {
  it('says it is already running (pid, url) and that a restart would be refused, with the fix; exit 0 as for any gateway already running', { timeout: 60_000 }, async () => {
    const lab = await twoProfiles();
    const gateway = await startGateway(['--profile', 'lab', 'gateway'], lab.env);
    const base = JSON.parse(lab.original).gateway.port as number;
    expect((await runCli(['--profile', 'lab', 'config', 'set', 'gateway.bind', NOT_HERE], { env: lab.env })).code).toBe(0);
    const start = await runCli(['--profile', 'lab', 'start', '--wait', '5'], { env: lab.env, timeoutMs: 20_000 });
    const text = start.stdout.replaceAll(/\n {4,}/g, '\n');
    expect(start.code, text).toBe(0);
    expect(text).toMatch(new RegExp(`^ {2}✔ already running: pid ${gateway.pid}, healthy at http://127\\.0\\.0\\.1:${base}/health\\. A restart would be refused:$`, 'm'));
    expect(text).toContain(`gateway.bind is "${NOT_HERE}", not an address of this host.`);
    expect(text).toContain('The gateway would refuse this config: it keeps running on the config it started with. Fix: set gateway.bind to an address of this host');
    expect(text).not.toMatch(/✘|refused: /);
    const json = JSON.parse((await runCli(['--profile', 'lab', 'start', '--json', '--wait', '5'], { env: lab.env, timeoutMs: 20_000 })).stdout);
    expect(json.ok).toBe(true);
    expect(json.profiles[0].target.url).toBe(`http://127.0.0.1:${base}`);
    expect(json.profiles[0].outcome).toMatchObject({ ok: true, state: 'already running', pid: gateway.pid });
    // A restart is still refused, and the gateway keeps running.
    const restart = await runCli(['--profile', 'lab', 'restart', '--wait', '5'], { env: lab.env, timeoutMs: 20_000 });
    expect(restart.code).toBe(1);
    expect(restart.stdout).toMatch(/✘ refused: /);
    expect(gateway.child.exitCode).toBeNull();
  });
});

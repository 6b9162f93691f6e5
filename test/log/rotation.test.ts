import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEventLog } from '../../src/host/log/event-log';
import { followLogs, readProfileLog } from '../../src/host/log/read';
import type { LogEvent } from '../../src/core/log/event';
import { BIN, runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 20 ms, at most `ms`. */
async function within(ms: number, done: () => boolean): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not done within ${ms} ms`);
    await sleep(20);
  }
}

async function stateDir(): Promise<string> {
  const { home } = await tempHome();
  const dir = path.join(home, '.epiloop-main');
  await mkdir(dir, { mode: 0o700 });
  return dir;
}

describe('gateway.log rotation', () => {
  it('rotates by size into gateway.log.1 … .N, keeps N, and every kept line is one event', async () => {
    const dir = await stateDir();
    const log = openEventLog({ stateDir: dir, profile: 'main', source: 'gateway', rotation: { maxFileBytes: 4096, keepFiles: 2 }, onError: (m) => expect.fail(m) });
    for (let i = 0; i < 200; i++) log.write('info', `event ${i} ${'x'.repeat(60)}`);
    log.close();
    expect((await readdir(dir)).sort()).toEqual(['gateway.log', 'gateway.log.1', 'gateway.log.2']);
    for (const file of ['gateway.log', 'gateway.log.1', 'gateway.log.2']) {
      const text = await readFile(path.join(dir, file), 'utf8');
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
      for (const line of text.trimEnd().split('\n')) expect(JSON.parse(line)).toMatchObject({ level: 'info', profile: 'main', source: 'gateway' });
    }
    const { events, problems } = await readProfileLog({ label: 'main', stateDir: dir });
    expect(problems).toEqual([]);
    const numbers = events.map((e) => Number(e.message.split(' ')[1]));
    // The newest events, oldest first, none missing between the first kept and the last.
    expect(numbers.at(-1)).toBe(199);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
  });

  it('a writer whose file another process rotated writes into the new file, not the old one', async () => {
    const dir = await stateDir();
    const file = path.join(dir, 'gateway.log');
    const log = openEventLog({ stateDir: dir, profile: 'main', source: 'gateway', rotation: { maxFileBytes: 1 << 20, keepFiles: 3 } });
    log.write('info', 'before');
    await rename(file, `${file}.1`);
    log.write('info', 'after');
    log.close();
    expect(await readFile(file, 'utf8')).toContain('"after"');
    expect(await readFile(`${file}.1`, 'utf8')).not.toContain('"after"');
  });

  it('writes nothing and creates nothing for a profile without a state dir', async () => {
    const { home } = await tempHome();
    const log = openEventLog({ stateDir: path.join(home, '.epiloop-ghost'), profile: 'ghost', source: 'cli', rotation: { maxFileBytes: 4096, keepFiles: 1 }, onError: (m) => expect.fail(m) });
    log.write('info', 'nobody hears this');
    expect(await readdir(home)).toEqual([]);
  });
});

describe('following a log (-f)', () => {
  it('hands over every event in order across several rotations, then stops when aborted', async () => {
    const dir = await stateDir();
    // Enough kept files that a follower slowed by a loaded machine still finds every generation.
    const log = openEventLog({ stateDir: dir, profile: 'main', source: 'gateway', rotation: { maxFileBytes: 4096, keepFiles: 10 } });
    log.write('info', 'already there');
    const seen: LogEvent[] = [];
    const stop = new AbortController();
    const source = { label: 'main', stateDir: dir };
    const { events: before, end } = await readProfileLog(source);
    expect(before.map((e) => e.message)).toEqual(['already there']);
    const following = followLogs([source], [end], (events) => seen.push(...events), stop.signal, 20);
    await sleep(60);
    // 30 events of ~150 bytes between polls: the file rotates about once per poll.
    for (let i = 0; i < 120; i++) {
      log.write('info', `event ${i} ${'y'.repeat(60)}`);
      if (i % 30 === 29) await sleep(40);
    }
    log.close();
    await within(10_000, () => seen.length >= 120);
    stop.abort();
    await following;
    expect(seen.map((e) => e.message.split(' ').slice(0, 2).join(' '))).toEqual(Array.from({ length: 120 }, (_, i) => `event ${i}`));
  });

  it('epiloop logs -f prints new events across a rotation and exits 0 on Ctrl-C (built CLI)', async () => {
    const { home, env } = await tempHome();
    const setup = await runCli(['--profile', 'main', 'setup', '--port', String(await freeBase())], { env });
    expect(setup.code, setup.stderr).toBe(0);
    const dir = path.join(home, '.epiloop-main');
    await writeFile(path.join(dir, 'gateway.log'), '2026-11-30T10:00:00.000Z a line from before the JSON log\n');
    const child = spawn(process.execPath, [BIN, '--profile', 'main', 'logs', '-f'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      await within(10_000, () => stdout.includes('a line from before the JSON log'));
      const log = openEventLog({ stateDir: dir, profile: 'main', source: 'gateway', rotation: { maxFileBytes: 4096, keepFiles: 10 } });
      for (let i = 0; i < 60; i++) log.write(i === 59 ? 'warn' : 'info', `followed ${i} ${'z'.repeat(60)}`);
      log.close();
      expect((await readdir(dir)).filter((f) => f.startsWith('gateway.log.'))).not.toEqual([]);
      await within(10_000, () => stdout.includes('followed 59 '));
      const lines = stdout.trimEnd().split('\n');
      expect(lines.filter((l) => / followed \d+ /.test(l))).toHaveLength(60);
      expect(lines.at(-1)).toMatch(/^\S+Z warn  followed 59 z+$/);
    } finally {
      child.kill('SIGINT');
    }
    expect(await Promise.race([closed, sleep(5000).then(() => 'still running')])).toBe(0);
  });
});

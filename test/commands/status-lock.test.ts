/**
 * A gateway.lock that is not a lock epiloop reads (a FIFO, a directory, a symlink out, a 50 MB
 * file) blocks every start of its profile: status, doctor and the watch name it with its fix,
 * and doctor --fix removes it (hostile pass, lock 2). A lock that is not JSON is called that.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfile } from '../../src/host/watch/check';
import { classify } from '../../src/core/watch/state';
import { pathsOfProfile } from '../../src/core/watch/targets';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { setupProfile, startGateway } from '../gateway/gateways';

type Make = (lock: string, home: string) => Promise<void>;

const BROKEN: { what: string; make: Make; problem: string; remove: string }[] = [
  { what: 'a FIFO', make: async (lock) => void execFileSync('mkfifo', [lock]), problem: 'is a FIFO (named pipe), not a regular file', remove: 'rm ~/.epiloop-main/gateway.lock' },
  { what: 'a directory', make: (lock) => mkdir(lock).then(() => writeFile(path.join(lock, 'x'), 'x')), problem: 'is a directory, not a regular file', remove: 'rm -r ~/.epiloop-main/gateway.lock' },
  {
    what: 'a symlink out of the state dir',
    make: async (lock, home) => {
      await writeFile(path.join(home, 'elsewhere.json'), '{"pid": 1}');
      await symlink(path.join(home, 'elsewhere.json'), lock);
    },
    problem: 'is a symlink to',
    remove: 'rm ~/.epiloop-main/gateway.lock',
  },
  {
    what: 'a 50 MB file',
    make: async (lock) => {
      const file = await open(lock, 'w');
      await file.truncate(50 * 1024 * 1024);
      await file.close();
    },
    problem: 'is 52428800 bytes',
    remove: 'rm ~/.epiloop-main/gateway.lock',
  },
];

describe('a gateway.lock epiloop will not read', () => {
  for (const broken of BROKEN) {
    it(`${broken.what}: start refuses saying how to remove it; status, doctor and the watch name it; doctor --fix removes it`, { timeout: 60_000 }, async () => {
      const { home, env } = await tempHome();
      await setupProfile(env, 'main');
      const lock = path.join(home, '.epiloop-main', 'gateway.lock');
      await broken.make(lock, home);

      const start = await runCli(['--profile', 'main', 'start', '--wait', '5'], { env, timeoutMs: 20_000 });
      expect(start.code, start.stdout).toBe(1);
      expect(start.stdout).toContain(`~/.epiloop-main/gateway.lock ${broken.problem}`);
      expect(start.stdout).toContain(`(${broken.remove})`);

      const status = await runCli(['--profile', 'main', 'status', '--json'], { env });
      expect(status.code).toBe(1);
      const json = JSON.parse(status.stdout);
      expect(json.gateway).toMatchObject({ running: false, lock: 'broken' });
      expect(json.problems).toContainEqual(expect.stringContaining(`~/.epiloop-main/gateway.lock ${broken.problem}`));
      expect(json.problems).toContainEqual(expect.stringContaining(`(${broken.remove})`));
      expect(json.problems.join('\n')).not.toMatch(/Start it:/);

      const doctor = await runCli(['--profile', 'main', 'doctor', '--json'], { env });
      expect(doctor.code, doctor.stdout).toBe(1);
      const finding = (JSON.parse(doctor.stdout).findings as { kind: string; summary: string; fixable: boolean }[]).find((f) => f.kind === 'gateway-lock');
      expect(finding).toMatchObject({ fixable: true, summary: expect.stringContaining(broken.problem) });

      const facts = await checkProfile(pathsOfProfile('main', home), { home, env: { PATH: process.env.PATH } });
      expect(classify(facts)).toMatchObject({ state: 'down', finding: expect.stringContaining(`~/.epiloop-main/gateway.lock ${broken.problem}`) });

      const fixed = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes'], { env, timeoutMs: 20_000 });
      expect(fixed.code, fixed.stdout).toBe(0);
      expect(fixed.stdout).toContain('remove ~/.epiloop-main/gateway.lock');
      expect(existsSync(lock)).toBe(false);
      if (broken.what === 'a symlink out of the state dir') expect(await readFile(path.join(home, 'elsewhere.json'), 'utf8')).toBe('{"pid": 1}');
    });
  }

  it('doctor --fix never removes the regular lock of a live gateway', { timeout: 60_000 }, async () => {
    const { home, env } = await tempHome();
    await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const fixed = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes'], { env, timeoutMs: 20_000 });
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(JSON.parse(await readFile(path.join(home, '.epiloop-main', 'gateway.lock'), 'utf8')).pid).toBe(gateway.pid);
  });

  it('a lock that is not JSON is called that, not unreadable', async () => {
    const { home, env } = await tempHome();
    await setupProfile(env, 'main');
    await writeFile(path.join(home, '.epiloop-main', 'gateway.lock'), 'garbage');
    const status = JSON.parse((await runCli(['--profile', 'main', 'status', '--json'], { env })).stdout);
    expect(status.gateway.detail).toBe('a lock that is not valid JSON; the next start takes it over');
  });
});

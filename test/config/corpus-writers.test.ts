/**
 * Every writer, run as the built CLI on every hand-written config of the corpus: the file
 * is edited, not rewritten — only the bytes of gateway.port change, every comment stays,
 * the mode stays 0600 and the backup holds the old bytes.
 */
import JSON5 from 'json5';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { listBackups } from '../../src/host/store/store';
import { CORPUS, expectCommentsKept, expectOnlyReplaced, portLiteral, type CorpusFile } from './corpus';

const AT_ONCE = 4;

interface Placed {
  env: Record<string, string>;
  home: string;
  configPath: string;
}

/** The corpus file as the default profile's config: 0600 in a 0700 state dir, its workspace there. */
async function place(file: CorpusFile): Promise<Placed> {
  const { home, env } = await tempHome();
  const stateDir = path.join(home, '.epiloop');
  await mkdir(path.join(stateDir, 'workspace'), { recursive: true, mode: 0o700 });
  await chmod(stateDir, 0o700);
  const configPath = path.join(stateDir, 'epiloop.json');
  await writeFile(configPath, file.text, { mode: 0o600 });
  return { env, home, configPath };
}

/**
 * Runs `each` on every corpus file, a few at a time, each worker with a base of its own
 * (the files of one worker take turns on it; a base another test took meanwhile is traded).
 * All of them finish before the first failure is thrown.
 */
async function eachFile(each: (file: CorpusFile, base: () => Promise<number>) => Promise<void>): Promise<void> {
  const queue = [...CORPUS];
  const runs = await Promise.allSettled(
    Array.from({ length: AT_ONCE }, async () => {
      let base: number | null = null;
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        let retry = false;
        const pick = async () => {
          if (retry || base === null) base = await freeBase();
          retry = true;
          return base;
        };
        await each(file, pick).catch((error: Error) => {
          queue.length = 0;
          throw new Error(`${file.name}: ${error.message}`, { cause: error });
        });
      }
    }),
  );
  const failed = runs.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
}

/** A writer given a base: a block free a moment ago may be taken by another test meanwhile, so a refusal is retried with another. */
async function withFreeBase(
  pick: () => Promise<number>,
  write: (base: number) => Promise<{ code: number | null; stdout: string; stderr: string }>,
): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const base = await pick();
    const result = await write(base);
    if (result.code === 0) return base;
    if (attempt === 3 || !result.stderr.includes('cannot be used')) throw new Error(`writer failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

async function expectEdited(file: CorpusFile, placed: Placed, base: number): Promise<void> {
  const after = await readFile(placed.configPath, 'utf8');
  expectOnlyReplaced(file.text, after, portLiteral(file), String(base));
  expectCommentsKept(file.text, after);
  expect((JSON5.parse(after) as { gateway: { port: number } }).gateway.port).toBe(base);
  expect((await stat(placed.configPath)).mode & 0o777).toBe(0o600);
  expect((await stat(path.dirname(placed.configPath))).mode & 0o777).toBe(0o700);
  const [backup] = await listBackups(placed.configPath);
  expect(await readFile(backup!, 'utf8')).toBe(file.text);
}

/** One writer's run: about 1 s alone; the suite shares two cores with every other suite (a run at load 15 took 15 s once). */
const WRITER_MS = 30_000;

describe('the corpus through every writer', () => {
  it('setup --port changes only the port\'s bytes', async () => {
    await eachFile(async (file, pick) => {
      const placed = await place(file);
      const base = await withFreeBase(pick, (b) => runCli(['setup', '--port', String(b)], { env: placed.env, timeoutMs: WRITER_MS }));
      await expectEdited(file, placed, base);
    });
  }, 240_000);

  it('the wizard\'s apply (onboard --non-interactive --yes) changes only the port\'s bytes', async () => {
    await eachFile(async (file, pick) => {
      const placed = await place(file);
      const base = await withFreeBase(pick, (b) => runCli(['onboard', '--non-interactive', '--yes', '--port', String(b), '--no-install-service'], { env: placed.env, timeoutMs: WRITER_MS }));
      await expectEdited(file, placed, base);
    });
  }, 240_000);

  it('doctor --fix moving an overlapping base changes only the port\'s bytes', async () => {
    await eachFile(async (file) => {
      const placed = await place(file);
      // Another profile on the same base: doctor moves this one.
      const other = path.join(placed.home, '.epiloop-other');
      await mkdir(other, { recursive: true, mode: 0o700 });
      await writeFile(path.join(other, 'epiloop.json'), '{ gateway: { port: 18789, auth: { token: "another-profile-token-0123" } } }\n', { mode: 0o600 });
      const result = await runCli(['doctor', '--fix', '--yes'], { env: placed.env, timeoutMs: 30_000 });
      // Exit 1 is fine here: other tests' probes may hold ports near 18789 when doctor checks again.
      expect(result.stdout, `${result.stdout}\n${result.stderr}`).toContain('✔ Applied');
      const moved = (JSON5.parse(await readFile(placed.configPath, 'utf8')) as { gateway: { port: number } }).gateway.port;
      expect(moved).not.toBe(18789);
      await expectEdited(file, placed, moved);
    });
  }, 240_000);

  it('config set gateway.port changes only the port\'s bytes', async () => {
    await eachFile(async (file, pick) => {
      const placed = await place(file);
      const base = await withFreeBase(pick, (b) => runCli(['config', 'set', 'gateway.port', String(b)], { env: placed.env, timeoutMs: WRITER_MS }));
      await expectEdited(file, placed, base);
    });
  }, 240_000);
});

/**
 * One answer to "would this config start, and if not, what does it wait for": status, browser
 * status, config set, top's s and a start itself give it alike, on this host's own addresses
 * (CI has more than loopback), for a config that starts, a broken one, one whose ports clash
 * with another profile's, and one whose gateway.bind is no address of this host.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import JSON5 from 'json5';
import { topProfiles } from '../../src/core/top/profiles';
import { topReader } from '../../src/host/top/reader';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

/** No interface has it: TEST-NET-3 (RFC 5737). */
const NOT_HERE = '203.0.113.9';

/** What a start waits for, as a surface says it ("it can start once …"), or null when it offers the start. */
function blockerIn(text: string): string | null {
  return /[Ii]t can start once ([^.]+)\./.exec(text)?.[1] ?? null;
}

async function surfaces(env: Record<string, string>, home: string) {
  const status = await runCli(['--profile', 'lab', 'status'], { env });
  const browser = await runCli(['--profile', 'lab', 'browser', 'status'], { env });
  const set = await runCli(['--profile', 'lab', 'config', 'set', 'logs.keepFiles', '3', '--dry-run'], { env });
  expect(set.code, set.stderr).toBe(0);
  const top = topProfiles((await topReader({ home, env })()).rows).find((p) => p.label === 'lab');
  // A broken config is all browser status says: its repair, and no start.
  const browserSays = /is broken\. Repair it with/.test(browser.stderr) ? 'the config is repaired' : blockerIn(browser.stdout);
  return {
    status: blockerIn(status.stdout.replace(/\n\s+/g, ' ')),
    browserStatus: browserSays,
    configSet: blockerIn(set.stdout),
    top: top!.startRefused === undefined ? null : blockerIn(top!.startRefused),
  };
}

async function editLab(home: string, edit: (config: { gateway: Record<string, unknown>; [key: string]: unknown }) => void): Promise<void> {
  const file = `${home}/.epiloop-lab/epiloop.json`;
  const config = JSON5.parse(await readFile(file, 'utf8'));
  edit(config);
  await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
}

describe('whether a config starts', () => {
  it('status, browser status, config set and top agree: a valid config, a broken one, a port clash, a bind not on this host', { timeout: 60_000 }, async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    for (const [profile, port] of [['main', base], ['lab', await freeBase()]] as const) {
      const done = await runCli(['--profile', profile, 'setup', '--port', String(port)], { env });
      expect(done.code, done.stderr).toBe(0);
    }
    const all = (answer: string | null) => ({ status: answer, browserStatus: answer, configSet: answer, top: answer });

    expect(await surfaces(env, home), 'valid').toEqual(all(null));

    await editLab(home, (c) => (c.watch = { intervalMs: 5 }));
    expect(await surfaces(env, home), 'broken').toEqual(all('the config is repaired'));

    await editLab(home, (c) => {
      delete c.watch;
      c.gateway.port = base;
    });
    // The gateway would refuse the base: no surface offers the start (start refuses it too, before it runs anything).
    expect(await surfaces(env, home), 'port clash').toEqual(all('no other profile claims its ports'));

    const lab = await freeBase();
    await editLab(home, (c) => {
      c.gateway.port = lab;
      c.gateway.bind = NOT_HERE;
    });
    expect(await surfaces(env, home), 'bind not on this host').toEqual(all('the config is repaired'));
    // start refuses it the same way, before anything is done.
    const start = await runCli(['--profile', 'lab', 'start'], { env, timeoutMs: 20_000 });
    expect([start.code, start.stdout]).toEqual([1, expect.stringContaining('✘ refused: ')]);
  });
});

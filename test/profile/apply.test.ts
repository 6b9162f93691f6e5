import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { planConfig } from '../../src/core/profile/plan';
import { resolveProfile } from '../../src/core/profile/paths';
import { initialAnswers } from '../../src/core/wizard/questions';
import { applyAnswers, loadFacts } from '../../src/ui/wizard/io';
import { doneLines, scrolledBody } from '../../src/core/wizard/summary';
import { initialState } from '../../src/core/wizard/state';
import path from 'node:path';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

/** A config a user wrote, with keys epiloop does not know at the top level and nested. */
function handWritten(base: number): Record<string, unknown> {
  return {
    theme: 'dark',
    plugins: { search: { enabled: true, weights: [1, 2] } },
    gateway: { port: base, auth: { token: 'abcdefghijklmnopqrstuvwxyz' }, futureKey: 'kept' },
    agents: { defaults: { workspace: '~/ws', model: 'theirs' }, list: ['a'] },
  };
}

describe('planConfig', () => {
  it('keeps every key the user had, top level and nested, and sets only its own', () => {
    const current = handWritten(20000);
    const planned = planConfig(current, { base: 21000, workspace: '/srv/ws' }, 'n'.repeat(32));
    expect(planned).toEqual({
      theme: 'dark',
      plugins: { search: { enabled: true, weights: [1, 2] } },
      gateway: { port: 21000, auth: { token: 'abcdefghijklmnopqrstuvwxyz' }, futureKey: 'kept' },
      agents: { defaults: { workspace: '/srv/ws', model: 'theirs' }, list: ['a'] },
    });
    // The caller's object is not changed.
    expect(current).toEqual(handWritten(20000));
  });

  it('gives a config without a usable token a new one, and keeps a usable one', () => {
    expect(planConfig({}, { base: 21000, workspace: '/w' }, 'n'.repeat(32))).toEqual({
      gateway: { port: 21000, auth: { token: 'n'.repeat(32) } },
      agents: { defaults: { workspace: '/w' } },
    });
    const short = planConfig({ gateway: { auth: { token: 'short' } } }, { base: 21000, workspace: '/w' }, 'n'.repeat(32));
    expect((short.gateway as { auth: { token: string } }).auth.token).toBe('n'.repeat(32));
  });
});

describe("the wizard's apply", () => {
  it('writes the answers into an existing config, keeping the keys epiloop does not know', async () => {
    const { home, env } = await tempHome();
    const paths = resolveProfile({ flag: 'rescue', env, home });
    const [before, after] = [await freeBase(), await freeBase()];
    await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
    await writeFile(paths.configPath, JSON.stringify(handWritten(before)), { mode: 0o600 });

    const facts = await loadFacts(paths, { home, env, invocation: 'epiloop --profile rescue', given: {} });
    const answers = { ...initialAnswers(facts), base: after, installService: false };
    const outcome = await applyAnswers(facts, answers, { env, source: 'the wizard', retry: (b) => `base ${b}` });

    expect(outcome.written).toBe(true);
    expect(outcome.backupPath).not.toBeNull();
    // The same advice as every other command: start (detached), not the foreground gateway.
    expect(outcome.service.lines).toEqual(['not installed; start the gateway with: epiloop --profile rescue start']);
    const written = JSON.parse(await readFile(paths.configPath, 'utf8'));
    expect(written).toEqual({
      theme: 'dark',
      plugins: { search: { enabled: true, weights: [1, 2] } },
      gateway: { port: after, auth: { token: 'abcdefghijklmnopqrstuvwxyz' }, futureKey: 'kept' },
      // ~/ws names the planned directory, so it stays as the user wrote it.
      agents: { defaults: { workspace: '~/ws', model: 'theirs' }, list: ['a'] },
    });
  });

  it('over a running gateway, a changed config is followed by restart, never start (which answers "already running")', async () => {
    const { home, env } = await tempHome();
    const paths = resolveProfile({ flag: 'main', env, home });
    const base = await freeBase();
    await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
    await writeFile(paths.configPath, JSON.stringify({ gateway: { port: base, auth: { token: 'abcdefghijklmnopqrstuvwxyz' } } }), { mode: 0o600 });
    // This test process stands in for the gateway: its lock names a live pid.
    const ports = { gateway: base, browserControl: base + 2, canvas: base + 4, cdp: { from: base + 11, to: base + 110 } };
    await writeFile(path.join(paths.stateDir, 'gateway.lock'), JSON.stringify({ pid: process.pid, processStart: null, startedAt: new Date().toISOString(), host: '127.0.0.1', ports }));

    const facts = await loadFacts(paths, { home, env, invocation: 'epiloop --profile main', given: {} });
    const answers = { ...initialAnswers(facts), base, bind: 'lan' as const, installService: false };
    const summary = scrolledBody({ ...initialState(facts), answers, step: 'summary' }).map((l) => l.text).join('\n');
    expect(summary).toContain(`none installed; the gateway (pid ${process.pid}) runs the old config until restarted with\n    epiloop --profile main restart`);
    const outcome = await applyAnswers(facts, answers, { env, source: 'the wizard', retry: (b) => `base ${b}` });
    expect(outcome.written).toBe(true);
    expect(outcome.service.lines).toEqual([`not installed; the gateway (pid ${process.pid}) runs the old config: restart it to apply the change: epiloop --profile main restart`]);
    const done = doneLines({ ...initialState(facts), answers, outcome }).map((l) => l.text).join('\n');
    expect(done).toContain('  epiloop --profile main restart  restart the gateway to apply the change');
    expect(done).not.toMatch(/main start\b/);
  });

  /** Profile main over a running gateway (this test process, on loopback) whose config now says `bind`; the wizard re-run with nothing changed. */
  async function unchangedOver(bind: string | undefined) {
    const { home, env } = await tempHome();
    const paths = resolveProfile({ flag: 'main', env, home });
    const base = await freeBase();
    await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
    await writeFile(paths.configPath, JSON.stringify({ gateway: { port: base, ...(bind === undefined ? {} : { bind }), auth: { token: 'abcdefghijklmnopqrstuvwxyz' } } }), { mode: 0o600 });
    // The wizard's first run completes the config; the second, over the running gateway, changes nothing.
    const first = await loadFacts(paths, { home, env, invocation: 'epiloop --profile main', given: {} });
    await applyAnswers(first, { ...initialAnswers(first), base, installService: false }, { env, source: 'the wizard', retry: (b) => `base ${b}` });
    const ports = { gateway: base, browserControl: base + 2, canvas: base + 4, cdp: { from: base + 11, to: base + 110 } };
    await writeFile(path.join(paths.stateDir, 'gateway.lock'), JSON.stringify({ pid: process.pid, processStart: null, startedAt: new Date().toISOString(), host: '127.0.0.1', ports }));
    const facts = await loadFacts(paths, { home, env, invocation: 'epiloop --profile main', given: {} });
    const answers = { ...initialAnswers(facts), base, installService: false };
    const summary = scrolledBody({ ...initialState(facts), answers, step: 'summary' }).map((l) => l.text).join('\n');
    const outcome = await applyAnswers(facts, answers, { env, source: 'the wizard', retry: (b) => `base ${b}` });
    const done = doneLines({ ...initialState(facts), answers, outcome }).map((l) => l.text).join('\n');
    return { summary, outcome, done };
  }

  it('nothing changed, in this run or since the gateway started: no restart advised anywhere', async () => {
    const { summary, outcome, done } = await unchangedOver(undefined);
    expect(summary).toContain('epiloop.json  file 0600  unchanged');
    expect(outcome.written).toBe(false);
    expect(`${summary}\n${outcome.service.lines.join('\n')}\n${done}`).not.toMatch(/restart/);
    expect(outcome.service.lines).toEqual([`not installed; the gateway (pid ${process.pid}) runs`]);
  });

  it('the config changed since the gateway started (lan, it listens on loopback): restart advised on the done screen too, the reach only once restarted', async () => {
    const { summary, outcome, done } = await unchangedOver('lan');
    expect(summary).toContain('epiloop.json  file 0600  unchanged');
    expect(summary).toContain(`none installed; the gateway (pid ${process.pid}) runs the old config until restarted with\n    epiloop --profile main restart`);
    expect(outcome.written).toBe(false);
    expect(outcome.service.lines).toEqual([`not installed; the gateway (pid ${process.pid}) runs the old config: restart it to apply the change: epiloop --profile main restart`]);
    expect(done).toContain('  epiloop --profile main restart  restart the gateway to apply the change');
    expect(done).toContain('  network  once restarted, from the LAN at 0.0.0.0');
  });
});

import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rename, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBackups, writeConfig } from '../../src/host/store/store';
import { diagnose } from '../../src/host/doctor/diagnose';
import { applyRepair, planRepair } from '../../src/host/doctor/repair';
import { healthPorts } from '../../src/core/gateway/health';
import { footprint, footprintPorts } from '../../src/core/ports/footprint';
import { bindProbe } from '../../src/host/ports/probe';
import { resolveProfile, type ProfilePaths } from '../../src/core/profile/paths';
import { tempHome } from '../helpers/home';
import { disjoint, holdPort } from './support';
import { freeBase } from '../helpers/ports';

/** A profile as setup leaves it (dirs 0700, config 0600, workspace), with this config; null is the default profile. */
async function profile(home: string, name: string | null, raw: Record<string, unknown>): Promise<ProfilePaths> {
  const paths = resolveProfile({ flag: name ?? undefined, env: {}, home });
  await writeConfig(paths, raw);
  await mkdir(paths.defaultWorkspace, { recursive: true });
  return paths;
}

const TOKEN = { auth: { token: 'a-token-of-more-than-16-chars' } };

describe('diagnose → planRepair → applyRepair (the API the wizard uses)', () => {
  it('moves an overlapping base to a free block, keeping every other key, with a backup', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    await profile(home, 'main', { gateway: { port: base, ...TOKEN } });
    const rescue = await profile(home, 'rescue', { gateway: { port: base + 20, bind: '127.0.0.1', ...TOKEN }, mine: { keep: [1, 'two'] } });
    const before = await readFile(rescue.configPath, 'utf8');

    const d = await diagnose(rescue, { home, env });
    expect(d.findings.map((f) => f.kind)).toEqual(['footprint-overlap']);
    expect(d.findings[0]!.summary).toMatch(/^footprint overlaps profile main: \d+ shared ports/);

    const plan = await planRepair(d);
    expect(plan.fixes).toEqual(['footprint-overlap']);
    expect(plan.actions[0]).toMatch(new RegExp(`^move base ${base + 20} → \\d+ \\(the first free block for profile rescue\\)$`));
    expect(plan.diff).toContain(`-    "port": ${base + 20},`);
    expect(plan.diff.some((l) => l.startsWith('+    "port": '))).toBe(true);
    // Planning writes nothing.
    expect(await readFile(rescue.configPath, 'utf8')).toBe(before);

    const result = await applyRepair(d, plan);
    expect(result.applied).toEqual(plan.actions);
    expect(await readFile(result.backupPath!, 'utf8')).toBe(before);
    const written = JSON.parse(await readFile(rescue.configPath, 'utf8'));
    expect(written.mine).toEqual({ keep: [1, 'two'] });
    expect(written.gateway.bind).toBe('127.0.0.1');
    expect(written.gateway.auth.token).toBe(TOKEN.auth.token);
    expect(disjoint(written.gateway.port, base)).toBe(true);
    expect((await diagnose(rescue, { home, env })).findings).toEqual([]);
  });

  it('names a rejected token once, not again as missing after its replacement is planned; a bad webhook url once, fixed by removing its entry', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const sink = { type: 'webhook', url: 'https://ntfy.sh/a' };
    const rescue = await profile(home, 'rescue', { gateway: { port: base, auth: { token: 'x' } }, watch: { alerts: [sink, { type: 'webhook', url: 'notaurl SECRETWORD' }] } });
    const d = await diagnose(rescue, { home, env });
    expect(d.findings.filter((f) => f.kind === 'config-schema').map((f) => [f.summary.replace(/, but.*/, ''), f.fix])).toEqual([
      ['gateway.auth.token is a 1-character string', 'replace it with a new random token'],
      ['watch.alerts[1].url is "‹18 characters hidden›"', 'remove watch.alerts[1]; the other entries of watch.alerts stay'],
    ]);
    const plan = await planRepair(d, { only: ['config-schema'] });
    expect(plan.actions.filter((e) => /token|alerts/.test(e))).toEqual(['replace gateway.auth.token with a new random token', 'remove watch.alerts[1]; the other entries of watch.alerts stay']);
  });

  it('temp files killed writers left (a partial config with its token, a lock breaker\'s) are a warning --fix removes; a live writer\'s stays', async () => {
    const { home, env } = await tempHome();
    const rescue = await profile(home, 'rescue', { gateway: { port: await freeBase(), ...TOKEN } });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const left = [`.epiloop.json.${dead}.0123456789ab.tmp`, `.epiloop.json.lock.break.${dead}.0123456789ab.tmp`, `.gateway.lock.${dead}.0123456789ab.tmp`];
    const live = `.epiloop.json.${process.pid}.0123456789ab.tmp`;
    const then = new Date(Date.now() - 60_000);
    for (const name of [...left, live]) {
      await writeFile(path.join(rescue.stateDir, name), 'partial', { mode: 0o600 });
      await utimes(path.join(rescue.stateDir, name), then, then);
    }

    const d = await diagnose(rescue, { home, env });
    expect(d.findings).toEqual([expect.objectContaining({ kind: 'temp-files', severity: 'warning', fixable: true, summary: '3 temp files left by epiloop commands that were killed' })]);
    expect(d.findings[0]!.detail).toContain(`~/.epiloop-rescue/${left[0]}`);
    const plan = await planRepair(d);
    expect(plan.actions).toEqual(['remove the 3 temp files left by killed epiloop commands']);
    await applyRepair(d, plan);

    expect((await readdir(rescue.stateDir)).filter((name) => name.endsWith('.tmp'))).toEqual([live]);
    expect((await diagnose(rescue, { home, env })).findings).toEqual([]);
  });

  it('refuses to write when the config changed after the diagnosis', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    await profile(home, 'main', { gateway: { port: base, ...TOKEN } });
    const rescue = await profile(home, 'rescue', { gateway: { port: base + 20, ...TOKEN } });
    const d = await diagnose(rescue, { home, env });
    const plan = await planRepair(d);
    await writeFile(rescue.configPath, '{ "gateway": { "port": 30000 }, "edited": true }\n');
    await expect(applyRepair(d, plan)).rejects.toThrow(/changed since doctor read it; nothing was written/);
    expect(JSON.parse(await readFile(rescue.configPath, 'utf8')).edited).toBe(true);
  });

  it('fixes only what it is asked to', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    await profile(home, 'main', { gateway: { port: base, ...TOKEN } });
    const rescue = await profile(home, 'rescue', { gateway: { port: base + 20, ...TOKEN } });
    await (await import('node:fs/promises')).chmod(rescue.configPath, 0o644);
    const before = await readFile(rescue.configPath, 'utf8');
    const d = await diagnose(rescue, { home, env });
    expect(d.findings.map((f) => f.kind).sort()).toEqual(['footprint-overlap', 'permissions']);
    const plan = await planRepair(d, { only: ['permissions'] });
    expect(plan).toMatchObject({ raw: null, diff: [], fixes: ['permissions'] });
    expect(plan.actions).toEqual([`chmod 0600 ~/.epiloop-rescue/epiloop.json`]);
    const result = await applyRepair(d, plan);
    expect(result.backupPath).toBeNull();
    expect((await stat(rescue.configPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(rescue.configPath, 'utf8')).toBe(before);
  });

  it('removes a browser.controlUrl shared with another profile, and nothing else', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const other = await freeBase();
    const url = `http://127.0.0.1:${base + 2}`;
    await profile(home, 'main', { gateway: { port: base, ...TOKEN }, browser: { controlUrl: url } });
    const rescue = await profile(home, 'rescue', { gateway: { port: other, ...TOKEN }, browser: { controlUrl: url, profiles: { work: {} } } });
    const d = await diagnose(rescue, { home, env });
    const kinds = d.findings.map((f) => f.kind);
    expect(kinds).toContain('shared-pin');
    expect(kinds).toContain('footprint-overlap');
    const plan = await planRepair(d);
    expect(plan.actions).toContain(`remove browser.controlUrl (${JSON.stringify(url)}); browser control goes back to base + 2`);
    await applyRepair(d, plan);
    const written = JSON.parse(await readFile(rescue.configPath, 'utf8'));
    expect(written.browser).toEqual({ profiles: { work: {} } });
    expect(written.gateway.port).toBe(other);
    expect((await diagnose(rescue, { home, env })).findings).toEqual([]);
  });

  it('a port held by a foreign process is a finding naming its pid; held by this profile\'s gateway it is not', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const rescue = await profile(home, 'rescue', { gateway: { port: base, ...TOKEN } });
    await holdPort(base + 4);
    const d = await diagnose(rescue, { home, env });
    expect(d.findings).toHaveLength(1);
    expect(d.findings[0]).toMatchObject({ kind: 'port-bound', severity: 'error' });
    expect(d.findings[0]!.summary).toMatch(new RegExp(`^canvas host ${base + 4} is bound by .+ \\(pid ${process.pid}\\) on 127\\.0\\.0\\.1$`));

    // The same listener, now this profile's gateway by its lock.
    const lock = { pid: process.pid, processStart: null, startedAt: new Date().toISOString(), host: '127.0.0.1', ports: healthPorts(footprint(undefined, base)) };
    await writeFile(path.join(rescue.stateDir, 'gateway.lock'), JSON.stringify(lock));
    const own = await diagnose(rescue, { home, env });
    expect(own.own?.pid).toBe(process.pid);
    expect(own.findings).toEqual([]);
  });

  it('a port-bound fix moves the base off the held port', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const rescue = await profile(home, 'rescue', { gateway: { port: base, ...TOKEN } });
    await holdPort(base);
    const d = await diagnose(rescue, { home, env });
    await applyRepair(d, await planRepair(d));
    const port = JSON.parse(await readFile(rescue.configPath, 'utf8')).gateway.port as number;
    expect(port).not.toBe(base);
    expect(footprintPorts(footprint(undefined, port)).has(base)).toBe(false);
    expect((await bindProbe([...footprintPorts(footprint(undefined, port))], { hosts: ['127.0.0.1'] })).size).toBe(0);
  });

  it('creates a missing config as setup would, and lists every step', async () => {
    const { home, env } = await tempHome();
    const paths = resolveProfile({ flag: 'rescue', env: {}, home });
    const d = await diagnose(paths, { home, env });
    expect(d.findings.map((f) => f.kind)).toEqual(['config-missing']);
    const plan = await planRepair(d);
    expect(plan.actions[0]).toBe('create ~/.epiloop-rescue (0700)');
    expect(plan.actions[1]).toMatch(/^create ~\/\.epiloop-rescue\/epiloop\.json \(0600\): base \d+, new auth token, workspace ~\/\.epiloop\/workspace-rescue$/);
    expect(plan.actions[2]).toBe('create ~/.epiloop/workspace-rescue (0700)');
    expect(plan.diff.every((l) => l.startsWith('+'))).toBe(true);
    expect(plan.diff.join('\n')).not.toContain((plan.raw!.gateway as { auth: { token: string } }).auth.token);
    const result = await applyRepair(d, plan);
    expect(result.backupPath).toBeNull();
    expect((await stat(paths.stateDir)).mode & 0o777).toBe(0o700);
    expect((await stat(paths.configPath)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.defaultWorkspace)).isDirectory()).toBe(true);
    expect(await listBackups(paths.configPath)).toEqual([]);
    expect((await diagnose(paths, { home, env })).findings).toEqual([]);
  });

  it("a port held by another profile's running gateway names that gateway and never says to stop it (QA 1)", async () => {
    const { home, env } = await tempHome();
    const [mainBase, rescueBase] = [await freeBase(), await freeBase()];
    const main = await profile(home, 'main', { gateway: { port: rescueBase + 2, ...TOKEN } });
    const rescue = await profile(home, 'rescue', { gateway: { port: rescueBase, ...TOKEN } });
    // This test process stands in for rescue's gateway: its lock names this pid, and it holds browser control.
    const lock = { pid: process.pid, processStart: null, startedAt: new Date().toISOString(), host: '127.0.0.1', ports: healthPorts(footprint(undefined, rescueBase)) };
    await writeFile(path.join(rescue.stateDir, 'gateway.lock'), JSON.stringify(lock));
    await holdPort(rescueBase + 2);
    expect(mainBase).not.toBe(rescueBase);

    const d = await diagnose(main, { home, env });
    const bound = d.findings.find((f) => f.kind === 'port-bound')!;
    expect(bound.summary).toBe(`gateway ${rescueBase + 2} is bound by rescue's gateway (pid ${process.pid}) on 127.0.0.1`);
    expect(bound.fix).toBe(`move the base from ${rescueBase + 2} to the first free block for profile main (at or above 18789)`);
    expect(JSON.stringify(d.findings)).not.toMatch(/\bstop\b/);
  });

  it('a symlinked config is an error fixed by hand, and no config write is planned (QA 2)', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    await profile(home, 'main', { gateway: { port: base, ...TOKEN } });
    const rescue = await profile(home, 'rescue', { gateway: { port: base + 20, ...TOKEN } });
    // Inside the state dir: a link out of it is not even read.
    const real = path.join(rescue.stateDir, 'real.json');
    await rename(rescue.configPath, real);
    await symlink(real, rescue.configPath);

    const d = await diagnose(rescue, { home, env });
    expect(d.configLink).toBe(real);
    expect(d.findings.map((f) => f.kind)).toEqual(['config-symlink', 'footprint-overlap']);
    expect(d.findings[0]).toMatchObject({
      severity: 'error',
      fixable: false,
      summary: `the config ~/.epiloop-rescue/epiloop.json is a symlink to ${real}: epiloop will not write through it`,
      fix: 'by hand: replace the link with the file it points to: cp --remove-destination "$(readlink -f ~/.epiloop-rescue/epiloop.json)" ~/.epiloop-rescue/epiloop.json',
    });
    // The overlap is still reported, but doctor cannot write the fix.
    expect(d.findings[1]!.fixable).toBe(false);
    expect(d.findings[1]!.fix).toMatch(/^move the base .* \(by hand, or with doctor --fix once the config is a regular file\)$/);
    const plan = await planRepair(d);
    expect(plan.steps).toEqual([]);
    expect(plan.raw).toBeNull();
  });

  it("a workspace shared with another profile is set back to this profile's default, everything else kept (QA 3)", async () => {
    const { home, env } = await tempHome();
    const [mainBase, rescueBase] = [await freeBase(), await freeBase()];
    const main = await profile(home, 'main', { gateway: { port: mainBase, ...TOKEN } });
    const rescue = await profile(home, 'rescue', { gateway: { port: rescueBase, ...TOKEN }, agents: { defaults: { workspace: '~/.epiloop/workspace-main', model: 'x' } } });

    const d = await diagnose(rescue, { home, env });
    expect(d.findings).toHaveLength(1);
    expect(d.findings[0]).toMatchObject({
      kind: 'workspace-shared',
      severity: 'error',
      fixable: true,
      summary: "workspace shared with profile main: ~/.epiloop/workspace-main is also main's workspace",
      fix: "set agents.defaults.workspace to ~/.epiloop/workspace-rescue (this profile's default workspace)",
    });
    // main's own doctor sees it too, but main already uses its default: the fix is rescue's.
    const fromMain = await diagnose(main, { home, env });
    expect(fromMain.findings).toHaveLength(1);
    expect(fromMain.findings[0]).toMatchObject({ kind: 'workspace-shared', fixable: false, summary: "workspace shared with profile rescue: ~/.epiloop/workspace-main is also rescue's workspace" });

    const plan = await planRepair(d);
    expect(plan.actions).toEqual(["set agents.defaults.workspace to ~/.epiloop/workspace-rescue, this profile's default (~/.epiloop/workspace-main is shared with another profile)"]);
    await applyRepair(d, plan);
    const written = JSON.parse(await readFile(rescue.configPath, 'utf8'));
    expect(written.agents.defaults).toEqual({ workspace: rescue.defaultWorkspace, model: 'x' });
    expect(written.gateway.port).toBe(rescueBase);
    expect((await diagnose(rescue, { home, env })).findings).toEqual([]);
    expect((await diagnose(main, { home, env })).findings).toEqual([]);
  });

  it("a workspace inside another profile's state dir is shared too; the default workspace-* folders are not", async () => {
    const { home, env } = await tempHome();
    const [mainBase, rescueBase] = [await freeBase(), await freeBase()];
    const main = await profile(home, 'main', { gateway: { port: mainBase, ...TOKEN } });
    const rescue = await profile(home, 'rescue', { gateway: { port: rescueBase, ...TOKEN }, agents: { defaults: { workspace: path.join(home, '.epiloop-main', 'ws') } } });
    await mkdir(path.join(home, '.epiloop-main', 'ws'));
    // The default profile's state dir holds every profile's default workspace: no finding for that.
    await profile(home, null, { gateway: { port: await freeBase(), ...TOKEN } });
    const d = await diagnose(rescue, { home, env });
    expect(d.findings.map((f) => f.summary)).toEqual(["workspace shared with profile main: ~/.epiloop-main/ws is inside main's state dir ~/.epiloop-main"]);
    expect(d.findings[0]!.detail).toEqual(["this profile's agents would read and write main's sessions and credentials"]);
    // main's workspace is ~/.epiloop/workspace-main, inside the default profile's state dir by design.
    expect((await diagnose(main, { home, env })).findings).toEqual([]);
  });
});

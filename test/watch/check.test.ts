import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkMemo, checkProfile } from '../../src/host/watch/check';
import { classify } from '../../src/core/watch/state';
import { pathsOfProfile } from '../../src/core/watch/targets';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

const TOKEN = 'a-token-of-more-than-16-chars';
const servers: net.Server[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A stand-in gateway of `profile` in another process: answers /health on `ports[0]`, holds the other ports; its pid in the lock. */
async function standIn(stateDir: string, profile: string, ports: number[]): Promise<number> {
  const script = `
    const http = require('node:http');
    const [first, ...rest] = ${JSON.stringify(ports)};
    let open = 0;
    const ready = () => { if (++open === ${ports.length}) process.stdout.write('ready\\n'); };
    http.createServer((req, res) => res.end(JSON.stringify({ profile: ${JSON.stringify(profile)}, pid: process.pid }))).listen(first, '127.0.0.1', ready);
    for (const port of rest) require('node:net').createServer((s) => s.destroy()).listen(port, '127.0.0.1', ready);
    setTimeout(() => process.exit(0), 20000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the stand-in gateway exited with ${code}`)));
  });
  const lockPorts = { gateway: ports[0], browserControl: ports[0]! + 2, canvas: ports[0]! + 4, cdp: { from: ports[0]! + 11, to: ports[0]! + 110 } };
  await writeFile(path.join(stateDir, 'gateway.lock'), JSON.stringify({ pid: child.pid, processStart: null, startedAt: new Date().toISOString(), host: '127.0.0.1', ports: lockPorts }));
  return child.pid!;
}

/** A profile's state dir with this config text (as setup would leave it, minus the workspace). */
async function profileWith(home: string, name: string, text: string) {
  const paths = pathsOfProfile(name, home);
  await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
  await writeFile(paths.configPath, text, { mode: 0o600 });
  return paths;
}

const check = (home: string, name: string) => checkProfile(pathsOfProfile(name, home), { home, env: { PATH: process.env.PATH } });

describe('checkProfile (one read-only check of a watched profile)', () => {
  it('names a gateway.bind that is no address of this host as the cause, with its fix, not the socket error of the probe (the tests\' network has loopback only)', async () => {
    const { home } = await tempHome();
    const base = await freeBase();
    await profileWith(home, 'main', JSON.stringify({ gateway: { port: base, bind: '10.9.9.9', auth: { token: TOKEN } } }));
    for (const memo of [undefined, checkMemo()]) {
      const facts = await checkProfile(pathsOfProfile('main', home), { home, env: { PATH: process.env.PATH }, ...(memo === undefined ? {} : { memo }) });
      const { state, finding } = classify(facts);
      expect(state).toBe('down');
      expect(finding).toMatch(/^gateway did not answer on 10\.9\.9\.9:\d+: gateway\.bind is "10\.9\.9\.9", not an address of this host\. Fix: set gateway\.bind to an address of this host \("loopback",? (?:or )?"lan"(?:, or one of: [^)]*)?\): epiloop --profile main config set gateway\.bind loopback$/);
      expect(finding).not.toMatch(/connect|ENETUNREACH|EHOSTUNREACH/);
    }
  });

  it('a running gateway that answers where its lock says it serves is up, though the config on disk now binds an address of no interface (no down, no rollback)', async () => {
    const { home } = await tempHome();
    const base = await freeBase();
    const main = await profileWith(home, 'main', JSON.stringify({ gateway: { port: base, bind: '10.9.9.9', auth: { token: TOKEN } } }));
    await standIn(main.stateDir, 'main', [base, base + 2]);
    const facts = await check(home, 'main');
    expect(facts).toMatchObject({ gatewayAddress: `127.0.0.1:${base}`, health: { answered: true, profile: 'main' } });
    const observation = classify(facts);
    expect(observation.state).toBe('up');
    expect(observation.finding).toMatch(new RegExp(`^gateway answers on 127\\.0\\.0\\.1:${base}; its config on disk would not start it again: gateway\\.bind is "10\\.9\\.9\\.9", not an address of this host`));
  });

  it('reports a profile that does not exist as down, without creating anything', async () => {
    const { home } = await tempHome();
    const facts = await check(home, 'ghost');
    expect(facts).toMatchObject({ profile: 'ghost', config: { state: 'missing', shown: '~/.epiloop-ghost/epiloop.json' }, gatewayAddress: null, health: null });
    expect(classify(facts).finding).toBe('profile "ghost" is not set up: no config at ~/.epiloop-ghost/epiloop.json');
    expect(execFileSync('ls', ['-A', home], { encoding: 'utf8' })).toBe('');
  });

  it('lists the first three problems of a config that has thousands, and how many more (one finding was 1.26 MB)', async () => {
    const { home } = await tempHome();
    const alerts = Array.from({ length: 5000 }, (_, i) => ({ type: 'webhook', url: `https://ntfy.sh/t${i}`, retries: 99 }));
    await profileWith(home, 'main', JSON.stringify({ watch: { alerts } }));
    const facts = await check(home, 'main');
    const message = facts.config.state === 'invalid' ? facts.config.message : '';
    expect(message.split('; ').slice(0, 3).map((line) => line.replace(/ is .*/, ''))).toEqual([0, 1, 2].map((i) => `~/.epiloop-main/epiloop.json: watch.alerts[${i}].retries`));
    expect(message).toMatch(/; … and 4997 more problems; "epiloop --profile main config validate" lists every one$/);
    expect(message.length).toBeLessThan(500);
  });

  it('names the file and line of a syntax error, and still asks the port its config gave', async () => {
    const { home } = await tempHome();
    const base = await freeBase();
    await profileWith(home, 'main', `{\n  gateway: { port: ${base} },\n  oops\n}\n`);
    const facts = await check(home, 'main');
    expect(facts.config).toEqual({ state: 'invalid', message: expect.stringMatching(/^~\/\.epiloop-main\/epiloop\.json:4:1: not valid JSON5/) });
    // The port still reads, as status, ports and doctor read it (a tolerant read); a lost one is never guessed.
    expect(facts.gatewayAddress).toBe(`127.0.0.1:${base}`);
    expect(classify(facts).state).toBe('down');
    await profileWith(home, 'main', `{\n  gateway: { port: ${base}x },\n}\n`);
    expect((await check(home, 'main')).gatewayAddress).toBeNull();
  });

  it('never reads a config that is a symlink out of the profile\'s dir', async () => {
    const { home } = await tempHome();
    const outside = path.join(home, 'secret.json');
    await writeFile(outside, JSON.stringify({ gateway: { port: 20000, auth: { token: TOKEN } } }));
    const paths = pathsOfProfile('main', home);
    await mkdir(paths.stateDir, { recursive: true });
    await symlink(outside, paths.configPath);
    const facts = await check(home, 'main');
    expect(facts.config).toEqual({ state: 'invalid', message: `~/.epiloop-main/epiloop.json is a symlink to ${outside}, outside its profile's dirs; it was not read` });
    expect(facts.gatewayAddress).toBeNull();
    expect(facts.service).toBeNull();
  });

  it('follows a symlink that stays inside the dir, and does not hang on a FIFO', async () => {
    const { home } = await tempHome();
    const base = await freeBase();
    const paths = await profileWith(home, 'main', '{}');
    await writeFile(path.join(paths.stateDir, 'real.json'), JSON.stringify({ gateway: { port: base, auth: { token: TOKEN } } }));
    await (await import('node:fs/promises')).rm(paths.configPath);
    await symlink('real.json', paths.configPath);
    expect((await check(home, 'main')).gatewayAddress).toBe(`127.0.0.1:${base}`);

    await (await import('node:fs/promises')).rm(paths.configPath);
    execFileSync('mkfifo', [paths.configPath]);
    expect((await check(home, 'main')).config).toEqual({ state: 'invalid', message: '~/.epiloop-main/epiloop.json is a FIFO (named pipe), not a regular file; it was not opened' });
  });

  it('asks /health at the base its own config gives, and names a foreign holder of its ports', async () => {
    const { home } = await tempHome();
    const base = await freeBase();
    await profileWith(home, 'main', JSON.stringify({ gateway: { port: base, auth: { token: TOKEN } } }));
    const server = net.createServer((socket) => socket.destroy());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen({ port: base + 2, host: '127.0.0.1' }, resolve));

    const facts = await check(home, 'main');
    expect(facts.gatewayAddress).toBe(`127.0.0.1:${base}`);
    expect(facts.health).toEqual({ answered: false, error: 'connection refused' });
    const holder = `${base + 2} (browser control) is bound by ${facts.foreignHolders[0]?.split(' by ')[1]?.split(' (pid')[0]} (pid ${process.pid}) on 127.0.0.1`;
    expect(facts.foreignHolders).toEqual([holder]);
    expect(classify(facts)).toEqual({ state: 'down', finding: `gateway did not answer on 127.0.0.1:${base}: connection refused; ${holder}` });
  });

  it("names another profile's gateway on its port as that gateway, as every command does (issue 10)", async () => {
    const { home } = await tempHome();
    const [base, elsewhere] = [await freeBase(), await freeBase()];
    await profileWith(home, 'main', JSON.stringify({ gateway: { port: base, auth: { token: TOKEN } } }));
    // lab's gateway (this test process, by its lock) runs on a base that takes main's browser control port.
    const lab = await profileWith(home, 'lab', JSON.stringify({ gateway: { port: elsewhere, auth: { token: TOKEN } } }));
    const ports = { gateway: base + 2, browserControl: base + 4, canvas: base + 6, cdp: { from: base + 13, to: base + 112 } };
    await writeFile(path.join(lab.stateDir, 'gateway.lock'), JSON.stringify({ pid: process.pid, processStart: null, startedAt: new Date().toISOString(), host: '127.0.0.1', ports }));
    const server = net.createServer((socket) => socket.destroy());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen({ port: base + 2, host: '127.0.0.1' }, resolve));
    expect((await check(home, 'main')).foreignHolders).toEqual([`${base + 2} (browser control) is bound by lab's gateway (pid ${process.pid}) on 127.0.0.1`]);
  });
  it('a gateway that serves another base than its config is degraded with the mismatch, as status says it, not down (issue 10)', async () => {
    const { home } = await tempHome();
    const [base, serves] = [await freeBase(), await freeBase()];
    const main = await profileWith(home, 'main', JSON.stringify({ gateway: { port: base, auth: { token: TOKEN } } }));
    const startedAt = new Date().toISOString();
    const ports = { gateway: serves, browserControl: serves + 2, canvas: serves + 4, cdp: { from: serves + 11, to: serves + 110 } };
    await writeFile(path.join(main.stateDir, 'gateway.lock'), JSON.stringify({ pid: process.pid, processStart: null, startedAt, host: '127.0.0.1', ports }));
    const server = http.createServer((_req, res) => res.end(JSON.stringify({ profile: 'main', pid: process.pid, ports })));
    servers.push(server as unknown as net.Server);
    await new Promise<void>((resolve) => server.listen({ port: serves, host: '127.0.0.1' }, resolve));
    const observation = classify(await check(home, 'main'));
    expect(observation).toEqual({
      state: 'degraded',
      finding: `the config says ${base}, the gateway (pid ${process.pid}) serves ${serves} since ${startedAt}: restart it ("epiloop --profile main restart") or set the port back ("epiloop --profile main setup --port ${serves}")`,
    });
  });

  it('a gateway holding its own ports, and only it, is running and holds its port, with no foreign holder; another holder beside it is still named', async () => {
    const { home } = await tempHome();
    const base = await freeBase();
    const main = await profileWith(home, 'main', JSON.stringify({ gateway: { port: base, auth: { token: TOKEN } } }));
    const pid = await standIn(main.stateDir, 'main', [base, base + 2]);
    const facts = await check(home, 'main');
    expect(facts).toMatchObject({ gatewayAddress: `127.0.0.1:${base}`, health: { answered: true, profile: 'main' }, running: { pid, holdsPort: true }, foreignHolders: [] });
    expect(classify(facts)).toEqual({ state: 'up', finding: `gateway answers on 127.0.0.1:${base}` });

    // This process takes its canvas port: not its gateway's socket, so the whole host view names it.
    const server = net.createServer((socket) => socket.destroy());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen({ port: base + 4, host: '127.0.0.1' }, resolve));
    const shared = await check(home, 'main');
    expect(shared.running).toEqual({ pid, holdsPort: true });
    expect(shared.foreignHolders).toEqual([expect.stringMatching(new RegExp(`^${base + 4} \\(canvas host\\) is bound by .+ \\(pid ${process.pid}\\) on 127\\.0\\.0\\.1$`))]);
    expect(classify(shared).state).toBe('degraded');
  });

  it('with a memory of unchanged files, sees every change of the config and of last-good.json, and still refuses a swapped-in symlink or FIFO', async () => {
    const { home } = await tempHome();
    const base = await freeBase();
    const paths = await profileWith(home, 'main', JSON.stringify({ gateway: { port: base, auth: { token: TOKEN } } }));
    // A clock ahead: the files written here are old enough to be known by their times.
    const memo = checkMemo(() => Date.now() + 60_000);
    const watched = () => checkProfile(paths, { home, env: { PATH: process.env.PATH }, memo });
    const first = await watched();
    expect(first.gatewayAddress).toBe(`127.0.0.1:${base}`);
    expect(await watched()).toEqual(first);

    // Edited in place to another port: read again.
    await writeFile(paths.configPath, JSON.stringify({ gateway: { port: base + 1000, auth: { token: TOKEN } } }));
    const edited = await watched();
    expect(edited.gatewayAddress).toBe(`127.0.0.1:${base + 1000}`);
    expect(edited.configSha256).not.toBe(first.configSha256);

    const outside = path.join(home, 'secret.json');
    await writeFile(outside, JSON.stringify({ gateway: { port: base, auth: { token: TOKEN } } }));
    await rm(paths.configPath);
    await symlink(outside, paths.configPath);
    expect((await watched()).config).toEqual({ state: 'invalid', message: `~/.epiloop-main/epiloop.json is a symlink to ${outside}, outside its profile's dirs; it was not read` });
    await rm(paths.configPath);
    execFileSync('mkfifo', [paths.configPath]);
    expect((await watched()).config).toMatchObject({ state: 'invalid', message: expect.stringContaining('is a FIFO (named pipe)') });

    // A last-known-good record written (atomically, as the watcher does) and then changed: each is seen.
    const record = (text: string) => JSON.stringify({ version: 1, sha256: createHash('sha256').update(text).digest('hex'), recordedAt: new Date().toISOString(), by: 'rescue', text });
    await writeFile(path.join(paths.stateDir, 'last-good.json.tmp'), record('{}'));
    await rename(path.join(paths.stateDir, 'last-good.json.tmp'), path.join(paths.stateDir, 'last-good.json'));
    expect((await watched()).lastGood?.sha256).toBe(createHash('sha256').update('{}').digest('hex'));
    await writeFile(path.join(paths.stateDir, 'last-good.json'), record('{ }'));
    expect((await watched()).lastGood?.sha256).toBe(createHash('sha256').update('{ }').digest('hex'));
  });
});

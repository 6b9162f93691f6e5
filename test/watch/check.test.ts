import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkProfile } from '../../src/host/watch/check';
import { classify } from '../../src/core/watch/state';
import { pathsOfProfile } from '../../src/core/watch/targets';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

const TOKEN = 'a-token-of-more-than-16-chars';
const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A profile's state dir with this config text (as setup would leave it, minus the workspace). */
async function profileWith(home: string, name: string, text: string) {
  const paths = pathsOfProfile(name, home);
  await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
  await writeFile(paths.configPath, text, { mode: 0o600 });
  return paths;
}

const check = (home: string, name: string) => checkProfile(pathsOfProfile(name, home), { home, env: { PATH: process.env.PATH } });

describe('checkProfile (one read-only check of a watched profile)', () => {
  it('reports a profile that does not exist as down, without creating anything', async () => {
    const { home } = await tempHome();
    const facts = await check(home, 'ghost');
    expect(facts).toMatchObject({ profile: 'ghost', config: { state: 'missing', shown: '~/.epiloop-ghost/epiloop.json' }, gatewayAddress: null, health: null });
    expect(classify(facts).finding).toBe('profile "ghost" is not set up: no config at ~/.epiloop-ghost/epiloop.json');
    expect(execFileSync('ls', ['-A', home], { encoding: 'utf8' })).toBe('');
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
      finding: `the config says ${base}, the gateway (pid ${process.pid}) serves ${serves} since ${startedAt}: restart it (stop pid ${process.pid}, then "epiloop --profile main gateway") or set the port back ("epiloop --profile main setup --port ${serves}")`,
    });
  });
});

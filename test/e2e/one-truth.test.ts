/**
 * Issue 10, "one truth about the host", end to end: the built CLI against real listeners and
 * real gateways. Every command gives the same answer about the same host.
 */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { bearer, request, setupProfile, startGateway } from '../gateway/gateways';
import { Terminal } from './pty';
import { probeLoop } from '../helpers/probe-loop';
import { footprint, footprintSlots } from '../../src/core/ports/footprint';
import { loadFacts, loadProposals } from '../../src/ui/wizard/io';
import { resolveProfile } from '../../src/core/profile/paths';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function listen(port: number, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      servers.push(server);
      resolve();
    });
  });
}

async function readJson(file: string) {
  return JSON.parse(await readFile(file, 'utf8'));
}

const configOf = (home: string, name: string) => path.join(home, `.epiloop-${name}`, 'epiloop.json');

/** A stand-in Chromium on PATH: it answers /json/version on the CDP port it is given, like the real one. */
async function fakeChromium(home: string): Promise<string> {
  const dir = path.join(home, 'bin');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'chromium');
  await writeFile(
    file,
    `#!${process.execPath}
const port = Number(process.argv.find((a) => a.startsWith('--remote-debugging-port=')).split('=')[1]);
require('node:http').createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ Browser: 'Chrome/0 (stand-in)', webSocketDebuggerUrl: 'ws://127.0.0.1:' + port + '/devtools/browser/x' }));
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`,
  );
  await chmod(file, 0o755);
  return dir;
}

describe("a profile's own running gateway is no stranger", () => {
  it('setup --force, doctor --fix and onboard keep the base it serves, where they moved or refused it', { timeout: 60_000 }, async () => {
    const { home, env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const file = configOf(home, 'main');
    const asString = async () => {
      const config = await readJson(file);
      await writeFile(file, JSON.stringify({ ...config, gateway: { ...config.gateway, port: String(main.base) } }, null, 2), { mode: 0o600 });
    };

    // status calls the holder "this gateway" …
    await asString();
    const status = JSON.parse((await runCli(['--profile', 'main', 'status', '--json'], { env })).stdout);
    expect(status.ports[0]).toMatchObject({ own: true, text: `this gateway (pid ${gateway.pid})` });

    // … and so do the writers: doctor reads "18789" as 18789 and moves nothing.
    const fixed = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes', '--json'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    const report = JSON.parse(fixed.stdout);
    expect(report.plan.actions).toEqual([`write gateway.port as the number ${main.base} (it was "${main.base}")`]);
    expect(report.plan.impacts).toEqual([]);
    expect(JSON.stringify(report)).not.toMatch(/move base/);
    expect(await readJson(file)).toMatchObject({ gateway: { port: main.base, auth: { token: main.token } } });

    await asString();
    const forced = await runCli(['--profile', 'main', 'setup', '--force', '--port', String(main.base)], { env });
    expect(forced.code, forced.stderr).toBe(0);
    expect((await readJson(file)).gateway).toMatchObject({ port: main.base, auth: { token: main.token } });

    // The wizard's flag mode takes the base too, for a profile whose config is gone while its gateway runs.
    await rm(file);
    const onboard = await runCli(['--profile', 'main', 'onboard', '--non-interactive', '--port', String(main.base), '--no-install-service', '--yes'], { env });
    expect(onboard.code, onboard.stdout + onboard.stderr).toBe(0);
    expect((await readJson(file)).gateway.port).toBe(main.base);
    expect((await request(main.base, '/health')).status).toBe(200);
  });
});

describe('commands beside another command probing the same ports (hardening item 5)', () => {
  it('doctor --fix --yes never moves a healthy base for a probe bind it saw', { timeout: 180_000 }, async () => {
    const { home, env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const before = await readFile(configOf(home, 'main'), 'utf8');
    await probeLoop(footprintSlots(footprint(undefined, main.base)).map((s) => s.port), 150_000);
    const rounds: string[] = [];
    for (let round = 0; round < 12; round++) {
      const fixed = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes'], { env, timeoutMs: 30_000 });
      if (fixed.code !== 0 || (await readFile(configOf(home, 'main'), 'utf8')) !== before) rounds.push(`round ${round}: exit ${fixed.code}\n${fixed.stdout}${fixed.stderr}`);
    }
    expect(rounds).toEqual([]);
  });
});

describe('a gateway serving another base than its config names', () => {
  it('is a finding in status (exit 1), ports and doctor alike', { timeout: 60_000 }, async () => {
    const { env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const moved = await freeBase();
    // Its own gateway's ports are no conflict, so the base can be moved while it runs.
    const setup = await runCli(['--profile', 'main', 'setup', '--port', String(moved)], { env });
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain(`note: the running gateway (pid ${gateway.pid}) serves ${main.base} until it is restarted`);

    const status = await runCli(['--profile', 'main', 'status'], { env });
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`  The config says ${moved}, the gateway (pid ${gateway.pid}) serves ${main.base} since `);
    expect(status.stdout).toContain(`or set the port back ("epiloop --profile main setup --port ${main.base}")`);
    const statusJson = JSON.parse((await runCli(['--profile', 'main', 'status', '--json'], { env })).stdout);
    expect(statusJson).toMatchObject({ healthy: false, mismatch: { base: moved, serves: main.base, pid: gateway.pid } });

    const ports = await runCli(['ports'], { env });
    expect(ports.code).toBe(1);
    expect(ports.stdout).toContain(`gateway up, pid ${gateway.pid}, serves ${main.base}, not ${moved}`);
    // The same fix as status names, with the command that names the profile.
    expect(ports.stdout.replace(/\n/g, ' ')).toContain(`or set the port back ("epiloop --profile main setup --port ${main.base}")`);
    const portsJson = JSON.parse((await runCli(['ports', '--json'], { env })).stdout);
    expect(portsJson.healthy).toBe(false);
    expect(portsJson.profiles[0]).toMatchObject({ label: 'main', base: moved, mismatch: { base: moved, serves: main.base } });
    // The ports it does not hold are drawn free, not "up".
    expect(portsJson.profiles[0].ports[0]).toMatchObject({ from: moved, state: 'free' });

    const doctor = await runCli(['--profile', 'main', 'doctor', '--json'], { env });
    expect(doctor.code).toBe(1);
    expect(JSON.parse(doctor.stdout).findings).toEqual([
      expect.objectContaining({ kind: 'gateway-mismatch', severity: 'error', summary: expect.stringContaining(`the config says ${moved}, the gateway (pid ${gateway.pid}) serves ${main.base}`) }),
    ]);
    const doctorText = await runCli(['--profile', 'main', 'doctor'], { env });
    expect(doctorText.stdout.replace(/\n\s*/g, ' ')).toContain(`or set the port back ("epiloop --profile main setup --port ${main.base}")`);
  });
});

describe("the profile's own browser", () => {
  it('is its own in ports, status and doctor', { timeout: 60_000 }, async () => {
    const { home, env } = await tempHome();
    const bin = await fakeChromium(home);
    const withBrowser = { ...env, PATH: `${bin}${path.delimiter}${env.PATH ?? ''}` };
    const main = await setupProfile(withBrowser, 'main');
    await startGateway(['--profile', 'main', 'gateway'], withBrowser);
    const started = await request(main.base + 2, '/profiles/default/start', { method: 'POST', headers: bearer(main.token) });
    expect(started.status, started.body).toBe(200);
    const { pid, cdpPort } = JSON.parse(started.body);
    expect(cdpPort).toBe(main.base + 11);

    const ports = await runCli(['ports'], { env });
    expect(ports.code, ports.stdout).toBe(0);
    expect(ports.stdout).not.toContain('held by others');
    const portsJson = JSON.parse((await runCli(['ports', '--json'], { env })).stdout);
    expect(portsJson.profiles[0].ports[3]).toMatchObject({ own: true, text: `1 of 100 bound by a browser of this gateway (pid ${pid})` });
    const status = JSON.parse((await runCli(['--profile', 'main', 'status', '--json'], { env })).stdout);
    expect(status.ports[3]).toEqual(portsJson.profiles[0].ports[3]);
    expect(status.healthy).toBe(true);
    const doctor = await runCli(['--profile', 'main', 'doctor', '--json'], { env });
    expect(JSON.parse(doctor.stdout)).toMatchObject({ healthy: true, findings: [] });
    // And so from the rescue: doctor --target main sees main's browser as main's, never as a stranger to stop.
    await setupProfile(env, 'rescue');
    const target = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--json'], { env });
    expect(target.code, target.stdout).toBe(0);
    expect(JSON.parse(target.stdout)).toMatchObject({ label: 'main', from: 'rescue', healthy: true, findings: [] });
  });
});

describe('one proposal for a profile, from every command', () => {
  it('setup, onboard --non-interactive, --plain, the wizard and doctor propose the same base for "lab"', { timeout: 60_000 }, async () => {
    const { home, env } = await tempHome();
    await setupProfile(env, 'main');
    const ask = async () => {
      const plan = await runCli(['--profile', 'lab', 'onboard', '--non-interactive', '--no-install-service'], { env });
      const flags = Number(/(\d+) gateway · /.exec(plan.stdout)?.[1]);
      const doctor = JSON.parse((await runCli(['--profile', 'lab', 'doctor', '--fix', '--json'], { env })).stdout);
      const fromDoctor = Number(/base (\d+), new auth token/.exec(doctor.plan.actions.join('\n'))?.[1]);
      const facts = await loadFacts(resolveProfile({ flag: 'lab', env, home }), { home, env, invocation: 'epiloop --profile lab', given: {} });
      const wizard = (await loadProposals(facts)).main?.base;
      const t = new Terminal(['--profile', 'lab', 'onboard', '--plain', '--no-install-service'], { env });
      try {
        await t.waitFor('Role of this gateway');
        t.press('enter');
        await t.waitFor('Workspace');
        t.press('enter');
        const screen = await t.waitFor(/Base port \(\d+\)/);
        const plain = Number(/Base port \((\d+)\)/.exec(screen)![1]);
        return [flags, fromDoctor, wizard, plain];
      } finally {
        t.kill();
      }
    };
    // The host is shared with other tests: a block taken between two of these reads is retried (bounded).
    let answers: (number | undefined)[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      answers = await ask();
      if (new Set(answers).size === 1) break;
    }
    const setup = await runCli(['--profile', 'lab', 'setup'], { env });
    expect(setup.code, setup.stderr).toBe(0);
    const written = (await readJson(configOf(home, 'lab'))).gateway.port;
    expect(answers).toEqual([written, written, written, written]);
    // "lab" is neither main nor rescue: its search starts at 20789, wherever the wizard's role is main.
    expect(written).toBeGreaterThanOrEqual(20789);
  });
});

describe('repairing a config that does not parse', () => {
  it('keeps the auth token and the base it can still read, and says so when it cannot', { timeout: 60_000 }, async () => {
    const { home, env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const file = configOf(home, 'main');
    await writeFile(file, `{\n  gateway: { port: ${main.base}, auth: { token: "${main.token}" } },\n  theme: "dark"\n  oops\n}\n`, { mode: 0o600 });
    const fixed = await runCli(['--profile', 'main', 'doctor', '--fix', '--yes'], { env });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain(`rewrite the unreadable ~/.epiloop-main/epiloop.json from what can still be read (the auth token, gateway.port ${main.base}, 1 other key)`);
    expect(fixed.stdout).not.toContain('What changes for clients');
    expect(await readJson(file)).toMatchObject({ gateway: { port: main.base, auth: { token: main.token } }, theme: 'dark' });

    // The token is lost in the break: the new one is a changed line in the diff and said in words.
    await writeFile(file, `{\n  gateway: { port: ${main.base}, auth: { token: "${main.token}\n } }\n}\n`, { mode: 0o600 });
    const asked = await runCli(['--profile', 'main', 'doctor', '--fix'], { env });
    expect(asked.code).toBe(2);
    expect(asked.stdout).toContain('What changes for clients:');
    expect(asked.stdout).toContain('! the auth token could not be read, so a new one is written: clients using the old one will be refused');
    expect(asked.stdout).toMatch(/\+ {6}"token": "‹\d+ characters hidden, #[0-9a-f]{8}›"/);
    expect(asked.stdout).not.toContain(main.token);
  });
});

describe('status --json, ports --json and doctor --json on one live host', () => {
  it('attribute every port of a profile the same way', { timeout: 60_000 }, async () => {
    const { env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const rescue = await setupProfile(env, 'rescue');
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    // A stranger inside main's CDP range, and rescue's gateway running on a base its config does not name.
    await listen(main.base + 50);
    const elsewhere = await freeBase();
    await startGateway(['--profile', 'rescue', 'gateway', '--port', String(elsewhere)], env);

    const [status, ports, doctor] = await Promise.all([
      runCli(['--profile', 'main', 'status', '--json'], { env }),
      runCli(['ports', '--json'], { env }),
      runCli(['--profile', 'main', 'doctor', '--json'], { env }),
    ]);
    const s = JSON.parse(status.stdout);
    const p = JSON.parse(ports.stdout);
    const d = JSON.parse(doctor.stdout);
    const mainInPorts = p.profiles.find((x: { label: string }) => x.label === 'main');
    expect(s.ports).toEqual(mainInPorts.ports);
    expect(s.ports.map((r: { state: string; own?: boolean }) => [r.state, r.own ?? false])).toEqual([
      ['bound', true],
      ['bound', true],
      ['bound', true],
      ['bound', false],
    ]);
    expect(s.ports[3].text).toMatch(new RegExp(`^1 of 100 bound: ${main.base + 50} bound by node \\(pid ${process.pid}\\) on 127\\.0\\.0\\.1`));
    // doctor names exactly the ports the port map calls bound by others, and nothing of main's own gateway.
    expect(d.findings.map((f: { kind: string; summary: string }) => [f.kind, f.summary])).toEqual([['port-bound', s.ports[3].label + ' ' + `${main.base + 11}–${main.base + 110}: ${s.ports[3].text}`]]);
    expect(JSON.stringify(d)).not.toContain(`pid ${gateway.pid}`);
    // rescue, as ports draws it: up elsewhere, not on its config's ports, which are free.
    const rescueInPorts = p.profiles.find((x: { label: string }) => x.label === 'rescue');
    expect(rescueInPorts).toMatchObject({ base: rescue.base, mismatch: { serves: elsewhere } });
    expect(rescueInPorts.ports.every((r: { state: string }) => r.state === 'free')).toBe(true);
    const rescueStatus = JSON.parse((await runCli(['--profile', 'rescue', 'status', '--json'], { env })).stdout);
    expect(rescueStatus.ports).toEqual(rescueInPorts.ports);
    expect(rescueStatus.mismatch).toEqual(rescueInPorts.mismatch);
  });
});

describe('a remote browser on another profile\'s ports', () => {
  it('is one answer: doctor reports it and the gateway refuses to start with it, naming whose port it is', async () => {
    const { env } = await tempHome();
    const main = await setupProfile(env, 'main');
    const rescue = await setupProfile(env, 'rescue');
    const config = await readJson(rescue.configPath);
    config.browser = { profiles: { default: { cdpUrl: `http://127.0.0.1:${main.base}` } } };
    await writeFile(rescue.configPath, JSON.stringify(config), { mode: 0o600 });
    const doctor = await runCli(['--profile', 'rescue', 'doctor'], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`port ${main.base} is inside main's gateway`);
    const gateway = await runCli(['--profile', 'rescue', 'gateway'], { env, timeoutMs: 15_000 });
    expect(gateway.code).toBe(1);
    expect(gateway.stderr).toContain(`browser.profiles.default.cdpUrl: port ${main.base} is inside main's gateway`);
    expect(gateway.stderr).toContain('Nothing was bound. Fix it with "epiloop --profile rescue doctor --fix"');
  });

  it("is one answer on the profile's own servers too: a cdpUrl on its own gateway port would drive the gateway itself", async () => {
    const { env } = await tempHome();
    const rescue = await setupProfile(env, 'rescue');
    const config = await readJson(rescue.configPath);
    config.browser = { profiles: { default: { cdpUrl: `http://localhost:${rescue.base + 2}` } } };
    await writeFile(rescue.configPath, JSON.stringify(config), { mode: 0o600 });
    const doctor = await runCli(['--profile', 'rescue', 'doctor'], { env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(`port ${rescue.base + 2} is rescue's own browser control port, not a Chrome's`);
    // Its own port is no other profile's, and no second gateway shares anything: the finding says what happens instead.
    expect(doctor.stdout).not.toMatch(/another profile|two gateways/);
    expect(doctor.stdout).toContain('the gateway would drive itself, not a Chrome');
    const gateway = await runCli(['--profile', 'rescue', 'gateway'], { env, timeoutMs: 15_000 });
    expect(gateway.code).toBe(1);
    expect(gateway.stderr).toContain(`browser.profiles.default.cdpUrl: port ${rescue.base + 2} is rescue's own browser control port, not a Chrome's`);
  });

  it('a cdpUrl that is its own server only on a --port base is told as that base\'s fault: doctor, which reads the config\'s base, finds nothing to fix', async () => {
    const { env } = await tempHome();
    const rescue = await setupProfile(env, 'rescue');
    const config = await readJson(rescue.configPath);
    config.browser = { cdpUrl: `http://localhost:${rescue.base + 102}` };
    await writeFile(rescue.configPath, JSON.stringify(config), { mode: 0o600 });
    const doctor = await runCli(['--profile', 'rescue', 'doctor'], { env });
    expect(doctor.stdout).not.toContain('cdpUrl');
    const gateway = await runCli(['--profile', 'rescue', 'gateway', '--port', String(rescue.base + 100)], { env, timeoutMs: 15_000 });
    expect(gateway.code).toBe(1);
    expect(gateway.stderr).toContain(`browser.cdpUrl: port ${rescue.base + 102} is rescue's own browser control port, not a Chrome's`);
    expect(gateway.stderr).not.toContain('doctor --fix');
    expect(gateway.stderr).toContain(`another base than ${rescue.base + 100} (from --port)`);
  });
});

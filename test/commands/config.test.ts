import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSON5 from 'json5';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';
import { holdPort } from '../doctor/support';
import { startGateway } from '../gateway/gateways';
import { standIn } from '../service/standin';
import { listBackups } from '../../src/host/store/store';
import { fingerprint } from '../../src/core/config/secrets';
import { expectCommentsKept, expectOnlyReplaced } from '../config/corpus';

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
}, 60_000);

const configOf = (home: string, profile: string) => path.join(home, `.epiloop-${profile}`, 'epiloop.json');

/** A hand-commented config for `profile`, on `base`. */
async function commented(home: string, profile: string, base: number, extra = ''): Promise<string> {
  const file = configOf(home, profile);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await mkdir(path.join(home, '.epiloop', `workspace-${profile}`), { recursive: true });
  const text = `// ${profile}: hand-written\n{\n  gateway: {\n    // rescue: keep this off 19xxx, the VPN uses it\n    port: ${base}, // the base\n    auth: { token: '${profile}-token-0123456789abcdef' },\n  },\n${extra}}\n`;
  await writeFile(file, text, { mode: 0o600 });
  return text;
}

/** The lines of a setup-style refusal that name the ports and their owners. */
function refusalLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^ {2}\d/.test(l));
}

describe('epiloop config get / path / validate / schema', () => {
  it('gets a value as text or --json, says what is missing (exit 1) or malformed (exit 2)', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', 18789, "  watch: { profiles: ['rescue'] },\n");
    const run = (args: string[]) => runCli(['--profile', 'main', 'config', ...args], { env });
    expect((await run(['get', 'gateway.port'])).stdout).toBe('18789\n');
    expect((await run(['get', 'watch.profiles[0]'])).stdout).toBe('rescue\n');
    expect(JSON.parse((await run(['get', 'watch', '--json'])).stdout)).toEqual({ profiles: ['rescue'] });
    const missing = await run(['get', 'gateway.bind']);
    expect([missing.code, missing.stderr]).toEqual([1, 'epiloop: gateway.bind is not set.\n']);
    // The whole path asked for is named, and where it stops.
    const deep = await run(['get', 'no.such.path']);
    expect([deep.code, deep.stderr]).toEqual([1, 'epiloop: no.such.path is not set (the config has no no).\n']);
    const under = await run(['get', 'gateway.auth.user']);
    expect([under.code, under.stderr]).toEqual([1, 'epiloop: gateway.auth.user is not set.\n']);
    const belowMissing = await run(['get', 'gateway.tls.cert']);
    expect([belowMissing.code, belowMissing.stderr]).toEqual([1, 'epiloop: gateway.tls.cert is not set (gateway has no tls).\n']);
    const malformed = await run(['get', 'watch.profiles[x]']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('[N] for an array index');
    const noPath = await run(['get']);
    expect([noPath.code, noPath.stderr]).toEqual([2, 'epiloop: "epiloop config get" needs <path>. Usage: epiloop config get <path>, for example: epiloop --profile main config get gateway.port\n']);
    const noProfile = await runCli(['--profile', 'ghost', 'config', 'get', 'gateway.port'], { env });
    expect(noProfile.code).toBe(1);
    expect(noProfile.stderr).toContain('profile "ghost" is not set up: no config at ~/.epiloop-ghost/epiloop.json');
  });

  it('masks the token and URL secrets in what it prints, unless --show-secrets asks for them', async () => {
    const { home, env } = await tempHome();
    const hook = 'https://ops:pw-S3CRET@ntfy.example/topic-S3CRET?auth=S3CRET';
    await commented(home, 'main', 18789, `  watch: { profiles: ['rescue'], alerts: [{ type: 'webhook', url: '${hook}' }] },\n`);
    const token = 'main-token-0123456789abcdef';
    const run = (args: string[]) => runCli(['--profile', 'main', 'config', 'get', ...args], { env });
    for (const args of [['gateway'], ['gateway', '--json'], ['gateway.auth'], ['gateway.auth.token'], ['gateway.auth.token', '--json'], ['watch'], ['watch.alerts[0].url']]) {
      const got = await run(args);
      expect(got.code, got.stderr).toBe(0);
      expect(got.stdout, args.join(' ')).not.toContain(token);
      expect(got.stdout, args.join(' ')).not.toContain('S3CRET');
    }
    expect((await run(['gateway.auth.token'])).stdout).toBe(`‹${token.length} characters hidden, #${fingerprint(token)}›\n`);
    expect(JSON.parse((await run(['gateway', '--json'])).stdout)).toMatchObject({ port: 18789, auth: { token: `‹${token.length} characters hidden, #${fingerprint(token)}›` } });
    expect((await run(['watch.alerts[0].url'])).stdout).toMatch(/^https:\/\/\*\*\*@ntfy\.example\//);
    // Asked for by name, for a script: as it is.
    expect((await run(['gateway.auth.token', '--show-secrets'])).stdout).toBe(`${token}\n`);
    expect(JSON.parse((await run(['watch', '--json', '--show-secrets'])).stdout).alerts[0].url).toBe(hook);
  });

  it('a token written as a long number: one fingerprint, from the text the file holds, in get, in set\'s diff and refusal; --show-secrets prints that text (user pass)', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', 18789);
    const file = configOf(home, 'main');
    await writeFile(file, (await readFile(file, 'utf8')).replace("'main-token-0123456789abcdef'", '1234567890123456789012'));
    const run = (args: string[]) => runCli(['--profile', 'main', 'config', ...args], { env });
    const hidden = (text: string) => `‹${text.length} characters hidden, #${fingerprint(text)}›`;
    const inFile = hidden('1234567890123456789012');
    expect((await run(['get', 'gateway.auth.token'])).stdout).toBe(`${inFile}\n`);
    expect(JSON.parse((await run(['get', 'gateway', '--json'])).stdout).auth.token).toBe(inFile);
    expect((await run(['get', 'gateway.auth.token', '--show-secrets'])).stdout).toBe('1234567890123456789012\n');
    expect((await run(['set', 'gateway.port', '18799', '--dry-run'])).stdout).toContain(`token: ${inFile}`);
    // Typed without the shell's quotes the token reads as a number: refused, shown as typed.
    const typed = '12345678901234567890';
    const bare = await run(['set', 'gateway.auth.token', typed]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain(`gateway.auth.token = "${hidden(typed)}" is not allowed`);
    expect((await run(['set', 'gateway.auth.token', `"${typed}"`, '--dry-run'])).stdout).toContain(hidden(typed));
    // A word of a command list set by its index is hidden in the refusal as in config get.
    const word = await run(['set', 'watch.alerts[0]', '{ type: "command", command: ["pager", "x"] }']);
    expect(word.code, word.stderr).toBe(0);
    const pin = await run(['set', 'watch.alerts[0].command[1]', '12345678901234567890']);
    expect(pin.code).toBe(2);
    expect(pin.stderr).toContain(`watch.alerts[0].command[1] = "${hidden(typed)}" is not allowed`);
  });

  it("shows a command sink by its program: its arguments (which may hold secrets) are masked in get and in set's diff, unless --show-secrets", async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', 18789, `  watch: { profiles: ['rescue'], alerts: [{ type: 'command', command: 'notify --key ARG-S3CRET' }, { type: 'command', command: ['pager', '--token', 'LIST-S3CRET'] }] },\n`);
    const run = (args: string[]) => runCli(['--profile', 'main', 'config', 'get', ...args], { env });
    for (const args of [['watch'], ['watch', '--json'], ['watch.alerts'], ['watch.alerts[0]'], ['watch.alerts[0].command'], ['watch.alerts[1].command']]) {
      const got = await run(args);
      expect(got.code, got.stderr).toBe(0);
      expect(got.stdout, args.join(' ')).not.toContain('S3CRET');
      expect(got.stdout, args.join(' ')).not.toContain('--key');
    }
    const hidden = (text: string) => `‹${text.length} characters hidden, #${fingerprint(text)}›`;
    expect((await run(['watch.alerts[0].command'])).stdout).toBe(`notify ${hidden('--key ARG-S3CRET')}\n`);
    expect(JSON.parse((await run(['watch.alerts[1].command'])).stdout)).toEqual(['pager', hidden('--token'), hidden('LIST-S3CRET')]);
    expect(JSON.parse((await run(['watch.alerts', '--show-secrets'])).stdout)[0].command).toBe('notify --key ARG-S3CRET');
    // set's diff: the old and the new command line, each by its program.
    const set = await runCli(['--profile', 'main', 'config', 'set', 'watch.alerts[1].command', '["pager", "--token", "NEW-S3CRET"]'], { env });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).not.toContain('S3CRET');
    expect(set.stdout).toContain('pager');
    const multi = await runCli(['--profile', 'main', 'config', 'set', 'watch.alerts[0]', '{ type: "command", command: ["a-program", "--password", "MULTI-S3CRET", "--and", "more-words-to-make-it-long-enough"] }'], { env });
    expect(multi.code, multi.stderr).toBe(0);
    expect(multi.stdout).not.toContain('S3CRET');
    expect(multi.stdout).toContain('a-program');
  });

  it("reads a raw U+2028 / U+2029 inside a string (valid JSON5) without json5's own warning on stderr", async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', 18789, "  note: 'a\u2028b\u2029c',\n");
    const got = await runCli(['--profile', 'main', 'config', 'get', 'note', '--json'], { env });
    expect([got.code, got.stderr, JSON.parse(got.stdout)]).toEqual([0, '', 'a\u2028b\u2029c']);
    const set = await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', 'loopback'], { env });
    expect([set.code, set.stderr]).toEqual([0, '']);
  });

  it('prints the path, and validates syntax and schema with exit 0 / 1', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', 18789);
    expect((await runCli(['--profile', 'main', 'config', 'path'], { env })).stdout).toBe(`${configOf(home, 'main')}\n`);
    expect((await runCli(['config', 'path'], { env: { ...env, EPILOOP_CONFIG_PATH: '/elsewhere/x.json' } })).stdout).toBe('/elsewhere/x.json\n');
    const ok = await runCli(['--profile', 'main', 'config', 'validate'], { env });
    expect([ok.code, ok.stdout]).toEqual([0, '✔ ~/.epiloop-main/epiloop.json is valid\n']);
    await writeFile(configOf(home, 'main'), '{ gateway: { port: 80 } }');
    const schema = await runCli(['--profile', 'main', 'config', 'validate'], { env });
    expect([schema.code, schema.stdout]).toEqual([1, '~/.epiloop-main/epiloop.json: gateway.port is 80, but must be a whole number from 1024 to 65425, so that base … base+110 fits below 65536\n']);
    await writeFile(configOf(home, 'main'), '{\n  gateway: { port: 18789 \n');
    const syntax = await runCli(['--profile', 'main', 'config', 'validate'], { env });
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toMatch(/^~\/\.epiloop-main\/epiloop\.json:3:1: not valid JSON5/);
  });

  it('prints a JSON Schema generated from the zod schema: ranges, words for editors, unknown keys allowed', async () => {
    const { env } = await tempHome();
    const result = await runCli(['config', 'schema'], { env });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toEqual({});
    expect(schema.properties.$schema).toMatchObject({ type: 'string' });
    // A base's whole footprint (base … base+110) must fit below 65536; a pinned port is one port.
    expect(schema.properties.gateway.properties.port).toMatchObject({ type: 'integer', minimum: 1024, maximum: 65425 });
    expect(schema.properties.canvasHost.properties.port).toMatchObject({ type: 'integer', minimum: 1024, maximum: 65535 });
    expect(schema.properties.gateway.properties.auth.properties.token).toMatchObject({ type: 'string', minLength: 16, maxLength: 512, pattern: '^[\\x21-\\x7e]+$' });
    expect(schema.properties.gateway.properties.port.description).toContain('base + 2');
    // What JSON Schema cannot say (a refinement), the words do; and they never contradict the checks.
    expect(schema.properties.browser.properties.controlUrl.description).toContain('a port from 1024 to 65427');
    expect(schema.properties.gateway.properties.auth.properties.token.description).toContain('(16 to 512 visible ASCII characters, no spaces)');
    expect(schema.properties.browser.properties.profiles.additionalProperties.properties.cdpPort.description).toContain('CDP port');
    expect(schema.properties.watch.properties.profiles.items.pattern).toBe('^[a-z0-9][a-z0-9_-]{0,31}$');
  });
});

describe('epiloop config set / unset', () => {
  it('edits one value: its bytes only, comments kept, a backup made; unknown keys set and kept by the next writer', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    const text = await commented(home, 'main', base);
    const next = await freeBase();
    const set = await runCli(['--profile', 'main', 'config', 'set', 'gateway.port', String(next)], { env });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`-    port: ${base}, // the base`);
    expect(set.stdout).toContain(`+    port: ${next}, // the base`);
    expect(set.stdout).toContain('The gateway is not running: it uses the new value when it starts.');
    const after = await readFile(configOf(home, 'main'), 'utf8');
    expectOnlyReplaced(text, after, String(base), String(next));
    expect(await listBackups(configOf(home, 'main'))).toHaveLength(1);

    const plugin = await runCli(['--profile', 'main', 'config', 'set', 'plugins.voice', '{ rate: 1.25, tags: ["a"] }'], { env });
    expect(plugin.code, plugin.stderr).toBe(0);
    expect(plugin.stdout).toContain('epiloop\'s gateway does not read this key: nothing to restart.');
    const setup = await runCli(['--profile', 'main', 'setup'], { env });
    expect(setup.code, setup.stderr).toBe(0);
    const kept = await readFile(configOf(home, 'main'), 'utf8');
    expect(JSON5.parse(kept).plugins).toEqual({ voice: { rate: 1.25, tags: ['a'] } });
    expectCommentsKept(text, kept);
    expect((await runCli(['--profile', 'main', 'config', 'get', 'plugins.voice.rate'], { env })).stdout).toBe('1.25\n');
  });

  it('never echoes a secret it sets or refuses, on any line: a token, a webhook url\'s secrets, a url that is no URL', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase());
    const run = (args: string[]) => runCli(['--profile', 'main', 'config', ...args], { env });
    const token = await run(['set', 'gateway.auth.token', 'NEWTOKEN0123456789abcdefXYZ']);
    expect(token.code, token.stderr).toBe(0);
    expect(token.stdout.split('\n')[0]).toMatch(/^✔ Set gateway\.auth\.token to "‹27 characters hidden, #[0-9a-f]{8}›" in /);
    const short = await run(['set', 'gateway.auth.token', 'shortSECRET']);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^epiloop: gateway\.auth\.token = "‹11 characters hidden, #[0-9a-f]{8}›" is not allowed:/);
    const spaced = await run(['set', 'gateway.auth.token', 'SPACEDTOKEN 0123456789abcdef']);
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toContain('gateway.auth.token is a 28-character string with a space at character 12, but must be a string of 16 to 512 visible ASCII characters without spaces');
    const hook = await run(['set', 'watch.alerts', '[{ type: "webhook", url: "https://user:PASSWORD@ntfy.sh/TOPIC?auth=QUERY" }]']);
    expect(hook.code, hook.stderr).toBe(0);
    const url = await run(['set', 'watch.alerts[0].url', 'https://user:PASSWORD2@ntfy.sh/TOPIC2?auth=QUERY2']);
    expect(url.code, url.stderr).toBe(0);
    const bad = await run(['set', 'watch.alerts[0].url', 'ntfy.sh/TOPIC3?auth=Q3']);
    expect(bad.code).toBe(2);
    const all = [token, short, spaced, hook, url, bad].map((r) => r.stdout + r.stderr).join('\n');
    for (const secret of ['NEWTOKEN', 'shortSECRET', 'SPACEDTOKEN', 'PASSWORD', 'TOPIC', 'QUERY', 'Q3']) expect(all).not.toContain(secret);
    expect(url.stdout).toContain('✔ Set watch.alerts[0].url to "https://***@ntfy.sh/***?auth=***"');
  });

  it('a change to a secret part only (a webhook url whose mask reads the same) says it is hidden and how to see it, never an empty diff', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase(), `  watch: { alerts: [{ type: 'webhook', url: 'https://u:PASS1@ntfy.sh/TOPIC1' }] },\n`);
    for (const dry of [['--dry-run'], []]) {
      const ran = await runCli(['--profile', 'main', 'config', 'set', 'watch.alerts[0].url', 'https://u:PASS2@ntfy.sh/TOPIC2', ...dry], { env });
      expect(ran.code, ran.stderr).toBe(0);
      const lines = ran.stdout.split('\n');
      expect(lines[1]).toBe("  the change is to a secret part of watch.alerts[0].url, hidden here; see it with: epiloop --profile main config get 'watch.alerts[0].url' --show-secrets");
      expect(ran.stdout).not.toMatch(/PASS|TOPIC/);
    }
  });

  it('refuses a value that would make the config larger than epiloop reads back, --dry-run too (exit 2, the file, the limit and the size named, nothing written)', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase(), `  notes: '${'n'.repeat(1_000_000)}',\n`);
    const file = configOf(home, 'main');
    const text = await readFile(file, 'utf8');
    for (const dry of [['--dry-run'], []]) {
      const set = await runCli(['--profile', 'main', 'config', 'set', 'x.k', 'a'.repeat(120_000), ...dry], { env });
      expect(set.code, set.stderr).toBe(2);
      expect(set.stdout).toBe('');
      expect(set.stderr).toMatch(/^epiloop: ~\/\.epiloop-main\/epiloop\.json would be 112\d{4} bytes, over the 1 MiB \(1048576 bytes\) epiloop reads back; nothing was written/);
    }
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await listBackups(file)).toEqual([]);
    expect((await runCli(['--profile', 'main', 'config', 'validate'], { env })).code).toBe(0);
  });

  it('refuses a problem the edit creates (a new list item missing a key: exit 2, asking for the whole item); notes only problems there before as unchanged', async () => {
    const { home, env } = await tempHome();
    const text = await commented(home, 'main', await freeBase(), `  watch: { alerts: [{ type: 'webhook', url: 'https://example.com/a' }] },\n`);
    const file = configOf(home, 'main');
    const run = (args: string[]) => runCli(['--profile', 'main', 'config', ...args], { env });
    for (const dry of [[], ['--dry-run']]) {
      const append = await run(['set', 'watch.alerts[1].url', 'http://example.com/', ...dry]);
      expect(append.code, append.stderr).toBe(2);
      expect(append.stdout).toBe('');
      expect(append.stderr).toContain('watch.alerts[1].type is missing');
      expect(append.stderr).toContain(`Set the whole item at once: epiloop --profile main config set 'watch.alerts[1]' '{ type: …, url: … }'`);
      expect(append.stderr).toContain('Nothing was written.');
      expect(append.stderr).not.toContain('unchanged');
    }
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(await listBackups(file)).toEqual([]);

    // A bad item that was there before: an edit elsewhere, or one that renumbers it, goes ahead with a note.
    await writeFile(file, text.replace(`watch: { alerts: [`, `watch: { alerts: [{ type: 'webhook', url: 'https://example.com/b' }, { url: 'https://example.com/c' }, `), { mode: 0o600 });
    const bind = await run(['set', 'gateway.bind', 'loopback']);
    expect(bind.code, bind.stderr).toBe(0);
    expect(bind.stdout).toContain('note: watch.alerts[1].type is missing');
    expect(bind.stdout).toContain('(unchanged;');
    const shift = await run(['unset', 'watch.alerts[0]']);
    expect(shift.code, shift.stderr).toBe(0);
    expect(shift.stdout).toContain('note: watch.alerts[0].type is missing');
  });

  it('asks for a list item it creates as an item config set takes, and names a refused "__proto__" key, never offering one (exit 2)', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase(), `  watch: {},\n`);
    const run = (args: string[]) => runCli(['--profile', 'main', 'config', 'set', ...args], { env });
    const item = await run(['watch.alerts[0].url', 'https://example.com/']);
    expect(item.code).toBe(2);
    expect(item.stderr).toContain(`Set the whole item at once: epiloop --profile main config set 'watch.alerts[0]' '{ type: …, url: … }'`);
    for (const [key, named] of [['__proto__', '__proto__'], ['a.__proto__.x', 'a.__proto__'], ['constructor.__proto__.x', 'constructor.__proto__']]) {
      const ran = await run([key!, 'x']);
      expect([key, ran.code]).toEqual([key, 2]);
      expect(ran.stderr).toContain(`  ${named} is `);
      expect(ran.stderr).toContain('but must be a key other than "__proto__"');
      expect(ran.stderr).not.toMatch(/undefined|whole item/);
    }
  });

  it('setting a whole new sink that is wrong names its problem as one sink, and offers no whole-item set (it was set whole)', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase());
    const run = (args: string[]) => runCli(['--profile', 'main', 'config', 'set', ...args], { env });
    const bad = await run(['watch.alerts[0]', '{type:"command", command:"x", maxPerHour: -1}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('  watch.alerts[0].maxPerHour is -1, but must be a whole number from 1 to 3600\n');
    const five = await run(['watch.alerts[0]', '5']);
    expect(five.code).toBe(2);
    expect(five.stderr).toContain('  watch.alerts[0] is 5, but must be a sink: { "type": "command", "command": "…" } or { "type": "webhook", "url": "https://…" }\n');
    for (const ran of [bad, five]) expect(ran.stderr).not.toContain('whole item');
  });

  it('refuses a rescue watching itself like any rule the gateway starts by (exit 2, nothing written); one there before is left to doctor', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase());
    const text = await commented(home, 'rescue', await freeBase(), `  watch: { profiles: ['main'] },\n`);
    const file = configOf(home, 'rescue');
    const run = (args: string[]) => runCli(['--profile', 'rescue', 'config', 'set', ...args], { env });
    for (const args of [['watch.profiles[1]', 'rescue'], ['watch.profiles', '["rescue"]', '--dry-run']]) {
      const ran = await run(args);
      expect([args, ran.code]).toEqual([args, 2]);
      expect(ran.stdout).toBe('');
      expect(ran.stderr).toMatch(/  watch\.profiles\[[01]\] is "rescue", but must be another profile than "rescue": a gateway cannot watch itself\n/);
      expect(ran.stderr).toContain('Nothing was written.');
    }
    expect(await readFile(file, 'utf8')).toBe(text);
    await writeFile(file, text.replace("profiles: ['main']", "profiles: ['main', 'rescue']"), { mode: 0o600 });
    const other = await run(['watch.intervalMs', '5000']);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toContain('it can start once the config is repaired');
  });

  it('refusing a rescue watching itself, names the profiles of this host it could watch instead, none it watches already', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase());
    await commented(home, 'other', await freeBase());
    await commented(home, 'rescue', await freeBase(), `  watch: { profiles: ['other'] },\n`);
    const ran = await runCli(['--profile', 'rescue', 'config', 'set', 'watch.profiles[1]', 'rescue'], { env });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(`Watch another profile of this host instead (main): epiloop --profile rescue config set 'watch.profiles[1]' main\n`);
  });

  it('refuses unsetting the auth token with why and how to replace it instead (exit 2, nothing written)', async () => {
    const { home, env } = await tempHome();
    const text = await commented(home, 'main', await freeBase());
    for (const key of ['gateway.auth.token', 'gateway.auth', 'gateway']) {
      const ran = await runCli(['--profile', 'main', 'config', 'unset', key], { env });
      expect([key, ran.code]).toEqual([key, 2]);
      expect(ran.stderr).toContain('Profile "main" has no gateway.auth.token, so nothing could authenticate to it.');
      expect(ran.stderr).toContain(`To replace the token, set a new one instead: epiloop --profile main config set gateway.auth.token '<new token>'`);
      expect(ran.stderr).toContain('Nothing was written.');
    }
    expect(await readFile(configOf(home, 'main'), 'utf8')).toBe(text);
  });

  it('a key under a value that is no object (gateway.auth.token.x) advises setting that value whole, never an unset that is refused (hostile pass)', async () => {
    const { home, env } = await tempHome();
    const text = await commented(home, 'main', await freeBase());
    const ran = await runCli(['--profile', 'main', 'config', 'set', 'gateway.auth.token.x', '1'], { env });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(
      `gateway.auth.token.x: gateway.auth.token is a string, not an object, so it has no key "x". Set gateway.auth.token as a whole instead: epiloop --profile main config set gateway.auth.token '<new value>'`,
    );
    expect(ran.stderr).not.toMatch(/unset/i);
    expect(await readFile(configOf(home, 'main'), 'utf8')).toBe(text);
  });

  it('on a config the gateway refuses, says it can start once the config is repaired, its other problems noted 10 at most', async () => {
    const { home, env } = await tempHome();
    const alerts = Array.from({ length: 31 }, (_, i) => `{ type: 'webhook', url: 'nourl${i}' }`).join(', ');
    await commented(home, 'main', await freeBase(), `  watch: { alerts: [${alerts}] },\n`);
    for (const dryRun of [true, false]) {
      const ran = await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', 'loopback', ...(dryRun ? ['--dry-run'] : [])], { env });
      expect(ran.code, ran.stderr).toBe(0);
      const notes = ran.stdout.split('\n').filter((l) => l.startsWith('  note: '));
      expect(notes).toHaveLength(11);
      expect(notes[0]).toContain('(unchanged; "epiloop --profile main doctor --fix" repairs it)');
      expect(notes[10]).toBe('  note: … and 21 more problems; "epiloop --profile main config validate" lists every one');
      expect(ran.stdout).toContain('The gateway is not running: it can start once the config is repaired.');
      expect(ran.stdout).not.toContain('new value when it starts');
    }
  });

  it('writes a gateway.bind that is no address of this host, warning that the gateway will refuse to start with it (the tests\' network has loopback only)', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase());
    const ran = await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', '10.0.0.5'], { env });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain('! gateway.bind "10.0.0.5" is not an address of this host: the gateway will refuse to start with it. Fix: set gateway.bind to an address of this host');
    // One warning: who could reach a gateway that will not start is beside the point.
    expect(ran.stdout).not.toContain('Other machines');
    expect(ran.stdout).toContain('The gateway is not running: it can start once gateway.bind is an address of this host.');
    expect(JSON5.parse(await readFile(configOf(home, 'main'), 'utf8')).gateway.bind).toBe('10.0.0.5');
    expect((await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', 'lan'], { env })).stdout).not.toContain('not an address of this host');
  });

  it('--dry-run shows the byte diff and writes nothing', async () => {
    const { home, env } = await tempHome();
    const text = await commented(home, 'main', 18789);
    const dry = await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', 'loopback', '--dry-run'], { env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run: nothing is written. This would change ~/.epiloop-main/epiloop.json:');
    expect(dry.stdout).toMatch(/\+ {4}bind: 'loopback',/);
    expect(dry.stdout).toContain(`auth: { token: '‹${'main-token-0123456789abcdef'.length} characters hidden, #${fingerprint('main-token-0123456789abcdef')}›' },`);
    expect(await readFile(configOf(home, 'main'), 'utf8')).toBe(text);
    expect(await listBackups(configOf(home, 'main'))).toEqual([]);
  });

  it('says when gateway.bind lets other machines reach the gateway (and that only this machine can, once it goes back), after the diff', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase());
    const run = (...args: string[]) => runCli(['--profile', 'main', 'config', ...args], { env });
    const dry = await run('set', 'gateway.bind', 'lan', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    const dryLines = dry.stdout.split('\n');
    expect(dryLines.slice(-3)).toEqual([
      '! Other machines would reach this gateway with gateway.bind "lan": every port but /health would demand the token.',
      'The gateway is not running: it would use the new value when it starts.',
      '',
    ]);
    const lan = await run('set', 'gateway.bind', 'lan');
    expect(lan.code, lan.stderr).toBe(0);
    expect(lan.stdout).toContain("+    bind: 'lan',\n");
    expect(lan.stdout).toContain('\n! Other machines can reach this gateway with gateway.bind "lan": every port but /health demands the token.\nThe gateway is not running');
    expect((await run('set', 'gateway.bind', '"0.0.0.0"')).stdout).toContain('! Other machines can reach this gateway with gateway.bind "0.0.0.0"');
    expect((await run('unset', 'gateway.bind')).stdout).toContain('\nOnly this machine can reach this gateway with gateway.bind unset (loopback).\n');
    const loopback = await run('set', 'gateway.bind', 'loopback');
    expect(loopback.stdout).not.toContain('machine');
  });

  it('warns, after the diff, that a new auth token refuses clients using the old one until they have it (as doctor --rollback does); other keys say nothing of it', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase());
    const run = (...args: string[]) => runCli(['--profile', 'main', 'config', ...args], { env });
    const dry = await run('set', 'gateway.auth.token', 'a-new-token-0123456789abcdef', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.split('\n').slice(-3)).toEqual([
      '! Once written, the auth token is replaced: clients using the old one will be refused until they have the new one.',
      'The gateway is not running: it would use the new value when it starts.',
      '',
    ]);
    const set = await run('set', 'gateway.auth.token', 'a-new-token-0123456789abcdef');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('\n! The auth token is replaced: clients using the old one will be refused until they have the new one.\nThe gateway is not running');
    expect((await run('set', 'gateway.port', String(await freeBase()))).stdout).not.toContain('auth token');
  });

  it('takes an address given unquoted (0.0.0.0 starts like a number) as the string, --dry-run too; the schema then judges it, not the JSON5 reader', async () => {
    const { home, env } = await tempHome();
    const text = await commented(home, 'main', await freeBase());
    const run = (...args: string[]) => runCli(['--profile', 'main', 'config', ...args], { env });
    const dry = await run('set', 'gateway.bind', '0.0.0.0', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("+    bind: '0.0.0.0',\n");
    expect(dry.stdout).toContain('! Other machines would reach this gateway with gateway.bind "0.0.0.0"');
    expect(await readFile(configOf(home, 'main'), 'utf8')).toBe(text);
    const set = await run('set', 'gateway.bind', '0.0.0.0');
    expect(set.code, set.stderr).toBe(0);
    expect(JSON5.parse(await readFile(configOf(home, 'main'), 'utf8')).gateway.bind).toBe('0.0.0.0');
    const written = await readFile(configOf(home, 'main'), 'utf8');
    const port = await run('set', 'gateway.port', '18a89');
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('gateway.port is "18a89", but must be a whole number from 1024 to 65425');
    expect(port.stderr).not.toContain('JSON5');
    const broken = await run('set', 'gateway.bind', '{a:', '--dry-run');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('"{a:" is not a JSON5 value');
    expect(await readFile(configOf(home, 'main'), 'utf8')).toBe(written);
  });

  it('shows Infinity, -Infinity and NaN as written (JSON5 has them, JSON has not), never as null; the schema refuses them for its own numbers', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', await freeBase());
    const run = (...args: string[]) => runCli(['--profile', 'main', 'config', ...args], { env });
    const inf = await run('set', 'plugins.limit', 'Infinity');
    expect(inf.code, inf.stderr).toBe(0);
    expect(inf.stdout).toContain('✔ Set plugins.limit to Infinity in ~/.epiloop-main/epiloop.json');
    expect((await run('set', 'plugins.limit', 'Infinity')).stdout).toBe('plugins.limit is already Infinity in ~/.epiloop-main/epiloop.json: nothing changed.\n');
    expect((await run('set', 'plugins.floor', '--', '-Infinity')).stdout).toContain('✔ Set plugins.floor to -Infinity in');
    expect((await run('get', 'plugins.floor')).stdout).toBe('-Infinity\n');
    // An object holding them shows them as written too; --json stays JSON (which writes null for them).
    expect((await run('set', 'plugins.odd', 'NaN')).code).toBe(0);
    expect((await run('get', 'plugins')).stdout).toBe('{\n  "limit": Infinity,\n  "floor": -Infinity,\n  "odd": NaN\n}\n');
    expect(JSON.parse((await run('get', 'plugins', '--json')).stdout)).toEqual({ limit: null, floor: null, odd: null });
    const port = await run('set', 'gateway.port', 'NaN');
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('epiloop: gateway.port = NaN is not allowed:\n  gateway.port is NaN, but must be a whole number from 1024');
    // A profile not set up: the command offered for the one that is sets the same value.
    const other = await runCli(['--profile', 'rescue', 'config', 'set', 'plugins.limit', 'Infinity'], { env });
    expect(other.stderr).toContain('e.g. "epiloop --profile main config set plugins.limit Infinity"');
    expect([inf, port, other].map((r) => r.stdout + r.stderr).join('')).not.toContain('null');
  });

  it('a key holding a dot is not the keys its dots name: an edit of ["gateway.port"] is not refused for a bad gateway.port there before', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', 80);
    const run = (...args: string[]) => runCli(['--profile', 'main', 'config', ...args], { env });
    const set = await run('set', '["gateway.port"]', '19000');
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('note: gateway.port is 80, but must be');
    expect(JSON5.parse(await readFile(configOf(home, 'main'), 'utf8'))).toMatchObject({ 'gateway.port': 19000, gateway: { port: 80 } });
  });

  it('unsets a value keeping its comments; a list closes up; unsetting what is not there changes nothing', async () => {
    const { home, env } = await tempHome();
    const text = await commented(home, 'main', 18789, "  watch: {\n    profiles: [\n      'rescue', // the rescue\n      'work',\n    ],\n  },\n");
    const unset = await runCli(['--profile', 'main', 'config', 'unset', 'watch.profiles[0]'], { env });
    expect(unset.code, unset.stderr).toBe(0);
    const after = await readFile(configOf(home, 'main'), 'utf8');
    expect(JSON5.parse(after).watch.profiles).toEqual(['work']);
    expectCommentsKept(text, after);
    const again = await runCli(['--profile', 'main', 'config', 'unset', 'gateway.bind'], { env });
    expect([again.code, again.stdout]).toEqual([0, 'gateway.bind is not set in ~/.epiloop-main/epiloop.json: nothing changed.\n']);
  });

  it('refuses a base inside another profile\'s footprint exactly as setup --port does (exit 2, nothing written)', async () => {
    const { home, env } = await tempHome();
    const mainBase = await freeBase();
    await commented(home, 'main', mainBase);
    const text = await commented(home, 'rescue', await freeBase());
    const viaConfig = await runCli(['--profile', 'rescue', 'config', 'set', 'gateway.port', String(mainBase + 5)], { env });
    const viaSetup = await runCli(['--profile', 'rescue', 'setup', '--port', String(mainBase + 5)], { env });
    expect([viaConfig.code, viaSetup.code]).toEqual([2, 2]);
    expect(viaConfig.stderr).toContain(`base port ${mainBase + 5} (from config set gateway.port) cannot be used for profile "rescue"`);
    expect(refusalLines(viaConfig.stderr)).toEqual(refusalLines(viaSetup.stderr));
    expect(refusalLines(viaConfig.stderr).join('\n')).toContain("main's CDP range");
    expect(viaConfig.stderr).toMatch(/Use a free base instead: epiloop --profile rescue config set gateway\.port \d+/);
    expect(await readFile(configOf(home, 'rescue'), 'utf8')).toBe(text);
  });

  it('refuses a base a foreign process holds, naming it, as setup does', async () => {
    const { home, env } = await tempHome();
    const text = await commented(home, 'main', await freeBase());
    const taken = await freeBase();
    await holdPort(taken);
    const viaConfig = await runCli(['--profile', 'main', 'config', 'set', 'gateway.port', String(taken)], { env });
    const viaSetup = await runCli(['--profile', 'main', 'setup', '--port', String(taken)], { env });
    expect([viaConfig.code, viaSetup.code]).toEqual([2, 2]);
    expect(refusalLines(viaConfig.stderr)).toEqual(refusalLines(viaSetup.stderr));
    expect(viaConfig.stderr).toContain(`${taken} (gateway): bound by`);
    expect(await readFile(configOf(home, 'main'), 'utf8')).toBe(text);
  });

  it("refuses a cdpUrl on the profile's own gateway, browser-control or canvas port, as doctor and the gateway do (it would not start with it)", async () => {
    const { home, env } = await tempHome();
    const text = await commented(home, 'rescue', 19789);
    const run = (args: string[]) => runCli(['--profile', 'rescue', 'config', ...args], { env });
    const own = await run(['set', 'browser.cdpUrl', 'ws://LOCALHOST:19791/devtools/browser/x']);
    expect(own.code).toBe(2);
    expect(own.stderr).toContain("browser.cdpUrl: port 19791 is rescue's own browser control port, not a Chrome's");
    expect(own.stderr).toContain('Nothing was written.');
    expect(own.stderr).not.toMatch(/another profile|to apply the change/);
    // A base moved under a cdpUrl already pinned puts that URL on its new gateway port: refused the same way.
    expect((await run(['set', 'browser.profiles.default.cdpUrl', 'http://127.0.0.1:19889'])).code).toBe(0);
    const moved = await run(['set', 'gateway.port', '19889']);
    expect(moved.code).toBe(2);
    expect(moved.stderr).toContain("browser.profiles.default.cdpUrl: port 19889 is rescue's own gateway port, not a Chrome's");
    // Its CDP range is where a Chrome of its own listens: allowed.
    expect((await run(['set', 'browser.cdpUrl', 'http://127.0.0.1:19800'])).code).toBe(0);
    expect(await readFile(configOf(home, 'rescue'), 'utf8')).not.toBe(text);
  });

  it("refuses a cdpUrl inside another profile's ports, as doctor and the gateway do: it wrote it, doctor then called it an error and the restart it advised failed", async () => {
    const { home, env } = await tempHome();
    const text = await commented(home, 'main', 18789);
    await commented(home, 'rescue', 19789);
    const set = await runCli(['--profile', 'main', 'config', 'set', 'browser.cdpUrl', 'http://127.0.0.1:19789'], { env });
    expect(set.code, set.stdout).toBe(2);
    expect(set.stderr).toContain("browser.cdpUrl: port 19789 is inside rescue's gateway");
    expect(set.stderr).toContain('Nothing was written.');
    expect(set.stderr).not.toContain('to apply the change');
    expect(await readFile(configOf(home, 'main'), 'utf8')).toBe(text);
    // A Chrome on a port no profile claims is allowed.
    expect((await runCli(['--profile', 'main', 'config', 'set', 'browser.cdpUrl', 'http://127.0.0.1:9222'], { env })).code).toBe(0);
  });

  it('refuses a pinned CDP URL another profile pins, a bad value and a bad path, each with exit 2 and what is allowed', async () => {
    const { home, env } = await tempHome();
    await commented(home, 'main', 18789, "  browser: { profiles: { default: { cdpUrl: 'http://127.0.0.1:9222' } } },\n");
    const text = await commented(home, 'rescue', 19789);
    const run = (args: string[]) => runCli(['--profile', 'rescue', 'config', ...args], { env });
    const pin = await run(['set', 'browser.profiles.default.cdpUrl', 'http://127.0.0.1:9222']);
    expect(pin.code).toBe(2);
    expect(pin.stderr).toContain('browser.profiles.default.cdpUrl "http://127.0.0.1:9222" is also pinned by profile main');
    const port = await run(['set', 'gateway.port', '80']);
    expect([port.code, port.stderr]).toEqual([2, 'epiloop: gateway.port = 80 is not allowed:\n  gateway.port is 80, but must be a whole number from 1024 to 65425, so that base … base+110 fits below 65536\nNothing was written.\n']);
    const bracketed = await run(['set', 'gateway.bind', '[::1]']);
    expect([bracketed.code, bracketed.stderr]).toEqual([
      2,
      'epiloop: gateway.bind = "[::1]" is not allowed:\n  gateway.bind is "[::1]", but must be "loopback" (the default), "lan" or "all" (every interface), or an IP address of this host (an IPv4 one as IPv4: 127.0.0.1, not ::ffff:127.0.0.1)\nWrite an IPv6 address without brackets: epiloop --profile rescue config set gateway.bind ::1\nNothing was written.\n',
    ]);
    const name = await run(['set', 'watch.profiles', '["Main"]']);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('must be a profile name');
    const through = await run(['set', 'gateway.port.x', '1']);
    expect(through.code).toBe(2);
    expect(through.stderr).toContain('gateway.port is a number, not an object');
    const value = await run(['set', 'watch.profiles', '[main']);
    expect(value.code).toBe(2);
    expect(value.stderr).toContain('is not a JSON5 value');
    expect(await readFile(configOf(home, 'rescue'), 'utf8')).toBe(text);
  });

  it('says a running gateway must restart, with the command; a moved base under a service means gateway install', async () => {
    const { home, env } = await tempHome();
    const base = await freeBase();
    await commented(home, 'main', base);
    const gateway = await startGateway(['--profile', 'main', 'gateway'], env);
    const bind = await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', 'loopback'], { env });
    expect(bind.code, bind.stderr).toBe(0);
    expect(bind.stdout).toContain(`The gateway (pid ${gateway.pid}) reads its config when it starts: restart it to apply the change: epiloop --profile main restart`);
    // Left broken (a problem there before), the config would be refused by a restart: none is advised.
    const file = configOf(home, 'main');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/}\n$/, "  watch: { alerts: [{ type: 'webhook', url: 'nourl' }] },\n}\n"), { mode: 0o600 });
    const broken = await runCli(['--profile', 'main', 'config', 'set', 'gateway.bind', 'lan'], { env });
    expect(broken.code, broken.stderr).toBe(0);
    expect(broken.stdout).toContain(`The gateway (pid ${gateway.pid}) keeps its old config: it can restart once the config is repaired.`);
    expect(broken.stdout).not.toContain('restart it');
    await writeFile(file, (await readFile(file, 'utf8')).replace("  watch: { alerts: [{ type: 'webhook', url: 'nourl' }] },\n", ''), { mode: 0o600 });

    const stand = await standIn(home, env);
    const install = await runCli(['--profile', 'main', 'gateway', 'install'], { env: stand.env });
    expect(install.code, install.stderr).toBe(0);
    const moved = await runCli(['--profile', 'main', 'config', 'set', 'gateway.port', String(await freeBase()), '--dry-run'], { env: stand.env });
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toContain('runs the old base port: once the change is written, update it (it restarts if it runs) with: epiloop --profile main gateway install');
  }, 30_000);
});

/** `epiloop top` drawn by ink-testing-library from a host the test holds: selection, a confirmed action, resize, a gateway going down. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LifecycleOutcome } from '../../src/core/lifecycle/plan';
import { brokenConfig } from '../../src/core/messages';
import type { TopIO } from '../../src/ui/top/io';
import { held, profileOf } from '../helpers/view';
import { KEYS } from './keys';
import { expectFits } from './harness';
import { draw, fakeHost, LONG_LOG_LINE, logEvents, NO_SERVICE, unmountTops, words } from './top-harness';

afterEach(unmountTops);

describe('epiloop top (frames)', () => {
  it('draws its first frame whole from a first read done before Ink drew (its rows, port map and log; no "Reading the host…"), and reads next at the refresh', async () => {
    const { io } = fakeHost();
    let reads = 0;
    const counted: TopIO = { ...io, read: () => ((reads += 1), io.read()) };
    const facts = await io.read();
    const top = draw(counted, 80, 24, () => undefined, { facts, log: await io.log('main', 24) });
    const first = top.frames().find((f) => f !== '\n')!;
    expect(first).toMatch(/› main +main +18789 +up · pid 4242 · 5m/);
    expect(first).toMatch(/18789 +gateway +this gateway \(pid 4242\)/);
    expect(first).toContain('gateway of profile "main" ready');
    expect(first).toContain('d doctor');
    expect(top.frames().some((f) => f.includes('Reading the host'))).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reads).toBe(0);
    // The refresh goes on as before: the next read comes a second later.
    await vi.waitFor(() => expect(reads).toBe(1), { timeout: 2500, interval: 20 });
  });

  it('with the first read still under way says "Reading the host…", then draws that read without asking the host again; a log not read yet is not called empty', async () => {
    const { io } = fakeHost();
    let reads = 0;
    let logRead: () => void = () => undefined;
    const logHeld = new Promise<void>((resolve) => (logRead = resolve));
    const counted: TopIO = { ...io, read: () => ((reads += 1), io.read()), log: async (label, count) => (await logHeld, io.log(label, count)) };
    let finish: (facts: Awaited<ReturnType<TopIO['read']>>) => void = () => undefined;
    const reading = new Promise<Awaited<ReturnType<TopIO['read']>>>((resolve) => (finish = resolve));
    const top = draw(counted, 80, 24, () => undefined, { reading });
    await top.waitFor('Reading the host…');
    finish(await io.read());
    const facts = await top.waitFor(/› main +main +18789 +up/);
    expect(facts).toContain('(reading the log…)');
    expect(facts).not.toContain('no events yet');
    logRead();
    await top.waitFor('gateway of profile "main" ready');
    expect(reads).toBe(0);
  });

  it('draws every profile with its gateway state, and ↑/↓ moves the selection, its port map and its log', async () => {
    const { io } = fakeHost();
    const top = draw(io);
    const first = await top.waitFor('› main');
    expect(first).toMatch(/› main +main +18789 +up · pid 4242 · 5m +not installed +– +never/);
    expect(first).toMatch(/ {2}lab +other +20789 +down /);
    expect(first).toMatch(/18789 +gateway +this gateway \(pid 4242\)/);
    expect(first).toContain('gateway of profile "main" ready');
    expectFits(first);
    await top.press(KEYS.down);
    const moved = await top.waitFor('› lab');
    expect(moved).toMatch(/20789 +gateway +free/);
    await top.waitFor('gateway of profile "lab" ready');
  });

  it('asks before it stops a gateway, does nothing on "n", and says what it did on "y"', async () => {
    const { io, acted } = fakeHost();
    const top = draw(io);
    await top.waitFor('› main');
    await top.press('s');
    await top.waitFor('stop main? y yes · n no');
    await top.press('n');
    await top.waitFor('Nothing done: stop of main cancelled.');
    expect(acted).toEqual([]);
    await top.press('s');
    await top.waitFor('stop main? y yes · n no');
    await top.press('y');
    await top.waitFor('✔ main: stopped in 5 ms: pid 4242 exited');
    expect(acted).toEqual([['stop', 'main']]);
    // A down gateway's s asks to start it.
    await top.press(KEYS.down, 's');
    await top.waitFor('start lab? y yes · n no');
  });

  it("refuses s on a stopped gateway whose config the gateway refuses (broken, or valid but without a token), as status words it with the repair, asking nothing and starting nothing", async () => {
    const broken = profileOf({ name: 'main', config: '{ gateway: { port: "nope" } }' });
    const tokenless = profileOf({ name: 'lab', config: '{ gateway: { port: 20789 } }' });
    const { io, acted } = fakeHost(NO_SERVICE, [broken, tokenless]);
    const top = draw(io, 120, 30);
    await top.waitFor('› main');
    await top.press('s');
    const main = await top.waitFor('✘ main: not started');
    expect(words(main)).toContain('✘ main: not started: it can start once the config is repaired. Repair it with "epiloop --profile main doctor --fix".');
    expect(main).not.toContain('start main?');
    await top.press(KEYS.down, 's');
    const lab = await top.waitFor('✘ lab: not started');
    expect(words(lab)).toContain('✘ lab: not started: it can start once the config is repaired. Repair it with "epiloop --profile lab doctor --fix".');
    expect(lab).not.toContain('start lab?');
    expect(acted).toEqual([]);
  });

  it("words a failed action's message of several lines in the footer as its sentences: each line break a single space, after a full stop where the line had none", async () => {
    const detail = 'the gateway exited (2) before it was healthy: the gateway of profile "lab" cannot start:\n  port 20789 is held by pid 99 on 127.0.0.1\nNothing was bound. Fix: stop that process.';
    const { io } = fakeHost();
    const failing: TopIO = { ...io, act: async (): Promise<LifecycleOutcome> => ({ ok: false, state: 'failed', detail, pid: null, ms: 9 }) };
    const top = draw(failing, 100, 30);
    await top.waitFor('› main');
    await top.press(KEYS.down, 's', 'y');
    const done = await top.waitFor('✘ lab: failed in 9 ms');
    const footer = done.split('\n').slice(done.split('\n').findIndex((l) => l.startsWith('✘ lab'))).join('\n');
    expect(footer).not.toContain('127.0.0.1Nothing');
    expect(footer).not.toMatch(/start: {2}port/);
    // Wrapped between words, under the text after the mark: read back whole with one space for each break.
    expect(footer.replace(/\n {2}/g, ' ')).toBe('✘ lab: failed in 9 ms: the gateway exited (2) before it was healthy: the gateway of profile "lab" cannot start: port 20789 is held by pid 99 on 127.0.0.1. Nothing was bound. Fix: stop that process.');
  });

  it('says a restart refused before anything was stopped is refused, with no duration, and that the gateway keeps running', async () => {
    const detail = '~/.epiloop-main/epiloop.json: gateway.bind is "10.9.9.9", not an address of this host. The gateway would refuse this config: the gateway (pid 6248) keeps running.';
    const { io } = fakeHost();
    const refusing: TopIO = { ...io, act: async (): Promise<LifecycleOutcome> => ({ ok: false, state: 'failed', refused: true, detail, pid: null, ms: 11 }) };
    const top = draw(refusing, 200, 30);
    await top.waitFor('› main');
    await top.press('s', 'y');
    const done = await top.waitFor('✘ main: refused');
    expect(done).toContain(`✘ main: refused: ${detail}`);
    expect(done).not.toContain('failed in');
  });

  it("at 60×20 caps a refused start's long message: its first line, how many lines it leaves out, and its repair advice whole; the profile rows stay", async () => {
    const problems = Array.from({ length: 14 }, (_, i) => ({ path: `agents.list[${i}].model`, value: '42', allowed: 'a model name' }));
    const detail = brokenConfig({ label: 'main', invocation: 'epiloop --profile main' }, { kind: 'schema', file: '/home/ada/.openclaw-main/openclaw.json', problems }, '~/.openclaw-main/openclaw.json');
    const { io } = fakeHost();
    const refusing: TopIO = { ...io, act: async (): Promise<LifecycleOutcome> => ({ ok: false, state: 'failed', detail, pid: null, ms: 3 }) };
    const top = draw(refusing, 60, 20);
    await top.waitFor('› main');
    await top.press('s', 'y');
    await top.waitFor('✘ main: failed in 3 ms');
    const done = await top.waitFor('more lines');
    expectFits(done, 60, 20);
    const lines = done.split('\n');
    expect(lines.length, done).toBeLessThanOrEqual(19);
    expect(done, done).toMatch(/^› main /m);
    expect(done, done).toMatch(/^ {2}lab /m);
    expect(done, done).toMatch(/^ {2}… 10 more lines$/m);
    const after = lines.slice(lines.findIndex((l) => l.startsWith('  … 10 more lines')) + 1);
    expect(words(after.join(' ')).trim(), done).toBe('The config of profile "main" is broken. Repair it with "epiloop --profile main doctor --fix" or "epiloop --profile main onboard".');
  });

  it('follows a resize: every line fits the new size, and the log gives way first', async () => {
    const { io } = fakeHost();
    const top = draw(io);
    await top.waitFor('› main');
    top.size(60, 14);
    await vi.waitFor(() => {
      const frame = top.screen();
      expectFits(frame, 60, 14);
      expect(frame).toContain('› main');
      expect(frame).toContain('CDP range');
      expect(frame).not.toContain('log of main');
    });
    top.size(100, 30);
    await top.waitFor('log of main');
    expectFits(top.screen(), 100, 30);
  });

  it('shows a gateway that goes down while the screen is open at the next refresh', async () => {
    const { io, set } = fakeHost();
    const top = draw(io);
    await top.waitFor(/main +main +18789 +up/);
    set([profileOf({ name: 'main', config: 18789 }), profileOf({ name: 'lab', config: 20789 })]);
    // Refreshed at least once a second: two refreshes at most.
    await top.waitFor(/main +main +18789 +down/, 2500);
  });

  it('keeps its columns while an uptime ticks from 59s to 1m: a column dropped does not come back for a character', async () => {
    const { io, set } = fakeHost();
    const at = (startedAt: string) => [profileOf({ name: 'main', config: 18789, gateway: { pid: 4242, startedAt } }), profileOf({ name: 'lab', config: 20789 })];
    // At 75 columns "up · pid 4242 · 1m" left room for ROLE that "… 59s" did not.
    set(at('2026-01-01T00:04:01.000Z'));
    const top = draw(io, 75, 24);
    const before = await top.waitFor(/main .*up · pid 4242 · 59s/);
    set(at('2026-01-01T00:04:00.000Z'));
    const after = await top.waitFor(/main .*up · pid 4242 · 1m /, 2500);
    const headings = (frame: string) => frame.split('\n').find((l) => l.startsWith('  PROFILE'))!.trim().split(/ +/);
    expect(headings(before)).toEqual(['PROFILE', 'BASE', 'GATEWAY', 'SERVICE', 'WATCHES', 'BACKUP']);
    expect(headings(after)).toEqual(headings(before));
  });

  it('d shows doctor\'s findings with the fix to run, ? the keys, Enter the details; Esc goes back', async () => {
    const { io } = fakeHost();
    const top = draw(io);
    await top.waitFor('› main');
    await top.press(KEYS.down, 'd');
    await top.waitFor('fix: run "epiloop --profile lab doctor --fix"');
    await top.press(KEYS.esc);
    await top.press('?');
    await top.waitFor('s      start its gateway, or stop it when it runs (asks first)');
    await top.press(KEYS.esc, KEYS.enter);
    await top.waitFor('gateway    down: not running');
  });

  it('d on a stopped gateway doctor finds nothing in says it is stopped and how to start it, not "nothing wrong"', async () => {
    const { io } = fakeHost();
    const top = draw({ ...io, doctor: async () => [] }, 80, 24);
    await top.waitFor('› main');
    await top.press('d');
    expect(await top.waitFor(/^✔ nothing wrong$/m)).toContain('doctor of main');
    await top.press(KEYS.esc, KEYS.down, 'd');
    const lab = await top.waitFor(/doctor of lab[^]*wrong/);
    expect(lab).toContain('⚠ the gateway is stopped\n  start it: press s, or run "epiloop --profile lab start"\n✔ nothing else wrong');
  });

  it('d wraps a long finding under its text, past its mark, at 80, 60 and 40 columns', async () => {
    const { io } = fakeHost();
    const summary = 'gateway.port is 99999, but must be a port whose whole footprint (base to base+110) fits below 65536';
    const top = draw({ ...io, doctor: async () => [{ severity: 'error', summary, fix: 'edit gateway.port in the config' }] }, 80, 24);
    await top.waitFor('› main');
    await top.press('d');
    for (const [columns, rows] of [[80, 24], [60, 20], [40, 20]] as const) {
      top.size(columns, rows);
      await top.settle();
      const frame = await top.waitFor('✖ gateway.port');
      const lines = frame.split('\n');
      const at = lines.findIndex((l) => l.startsWith('✖ gateway.port'));
      const end = lines.findIndex((l) => l.startsWith('  fix: '));
      expect(end, frame).toBeGreaterThan(at + 1);
      for (const line of lines.slice(at + 1, end)) expect(line, frame).toMatch(/^ {2}\S/);
      expect(words(lines.slice(at, end).join(' ')).trim(), frame).toBe(`✖ ${summary}`);
    }
  });

  it("Enter's details say since when the gateway is up, or down (as far as the screen saw it stop)", async () => {
    const { io, set } = fakeHost();
    const top = draw(io, 80, 30);
    await top.waitFor('› main');
    await top.press(KEYS.enter);
    await top.waitFor('since      started 5m ago · 2026-01-01T00:00:00.000Z');
    await top.press(KEYS.esc, KEYS.down, KEYS.enter);
    await top.waitFor('since      not known: it was down when top first read it');
    await top.press(KEYS.esc, KEYS.up, KEYS.enter);
    set([profileOf({ name: 'main', config: 18789 }), profileOf({ name: 'lab', config: 20789 })]);
    await top.waitFor('since      stopped 0s ago · 2026-01-01T00:05:00.000Z', 2500);
  });

  it("l at 40 columns continues a message of several lines 2 columns in, as logs does; at 80 under its message", async () => {
    const { io } = fakeHost();
    const refusal: TopIO = { ...io, log: async () => logEvents([['2026-01-01T00:00:00.000Z', 'error', 'not started:\n  port 18789 is held by pid 99 (node) on 127.0.0.1\nNothing was bound.']]) };
    const top = draw(refusal, 40, 20);
    await top.waitFor('› main');
    await top.press('l');
    const narrow = await top.waitFor('Nothing was bound.');
    expect(narrow).toContain('00:00:00.000 error not started:\n    port 18789 is held by pid 99 (node)\n    on 127.0.0.1\n  Nothing was bound.');
    top.size(80, 24);
    const wide = await top.waitFor('2026-01-01T00:00:00.000Z error');
    expect(wide).toContain(`\n${' '.repeat(31)}  port 18789 is held by pid 99 (node) on\n`);
  });

  it("Enter's details word a service as status does where no manager could install one", async () => {
    const { io } = fakeHost({ ...NO_SERVICE, usable: false, reason: 'systemd is not running on this host' });
    const top = draw(io, 100, 30);
    await top.waitFor('› main');
    await top.press(KEYS.enter);
    const details = await top.waitFor('not installed (no usable systemd on this host)');
    // No unit named (the fake's is "x"), as status names none.
    expect(details).toMatch(/^service {4}not installed \(no usable systemd on this host\)$/m);
  });

  it('at 60 columns drops columns in the stated order instead of cutting words, and wraps the title, help and full log', async () => {
    const { io } = fakeHost();
    const top = draw(io, 60, 20);
    const main = await top.waitFor('› main');
    expectFits(main, 60, 20);
    // Only the log's preview is cut (l shows it whole, below); below 80 columns it is timed by the clock alone, as logs does.
    expect(main).toContain('  00:00:00.000 info  gateway of profile "main" ready');
    expect(main.split('\n').filter((l) => l.includes('…') && !l.startsWith('  00:00:'))).toEqual([]);
    expect(main).toMatch(/^↑↓ Enter s r l d {2}\? help {2}q quit$/m);
    expect(main).toMatch(/^epiloop top .*\? help · q quit$/m);
    // ROLE, then SERVICE give way: WATCHES stays.
    expect(main).toMatch(/^ {2}PROFILE +BASE +GATEWAY +WATCHES +BACKUP$/m);
    expect(main).toMatch(/^› main +18789 +up · pid 4242 · 5m +– +never$/m);
    await top.press('?');
    const help = await top.waitFor('Keys');
    expectFits(help, 60, 20);
    expect(words(help)).toContain('d doctor: what is wrong with it, and the command that fixes it (changes nothing)');
    expect(help).not.toContain('host 18789');
    // Every key, the last one too, and the mark, scrolled to (a view leaves out the host strip, which belongs to the port map).
    await top.press(KEYS.down, KEYS.down, KEYS.down);
    const end = top.screen();
    expectFits(end, 60, 20);
    expect(words(end)).toContain('y / n answer a question (Enter is yes, Esc is no)');
    expect(end).toMatch(/^! +after a name: it needs a fix; d says what is wrong$/m);
    await top.press(KEYS.esc, 'l');
    const log = await top.waitFor('log of main ·');
    expectFits(log, 60, 20);
    expect(words(log)).toContain(words(LONG_LOG_LINE.replace('2026-01-01T00:00:01.000Z', '00:00:01.000')));
  });

  it('at 60×20 keeps the port map 2 columns in, under the profile table, where a long state wraps', async () => {
    const { io } = fakeHost(NO_SERVICE, [profileOf({ name: 'lab', config: 20789 }), profileOf({ name: 'main', config: 18789 })], { 20789: held(99, 'python3-long-command-name'), 20791: held(99, 'python3-long-command-name') });
    const top = draw(io, 60, 20);
    const frame = await top.waitFor('› lab');
    expectFits(frame, 60, 20);
    expect(frame, frame).toMatch(/^ {2}PORT {2,}ROLE {2,}STATE$/m);
    expect(frame, frame).toMatch(/^ {2}20789 {2,}gateway {2,}\S/m);
    expect(frame, frame).toMatch(/^ {2}20800–20899 {2,}CDP range {2,}/m);
  });

  it('at 60×20 names every profile on the host strip: a legend line where a label does not fit under its block', async () => {
    const { io } = fakeHost(NO_SERVICE, [profileOf({ name: 'lab', config: 19989 }), profileOf({ name: 'main', config: 18789 }), profileOf({ name: 'rescue', config: 19789 })], {});
    const top = draw(io, 60, 20);
    const frame = await top.waitFor('› lab');
    expectFits(frame, 60, 20);
    const lines = frame.split('\n');
    const strip = lines.findIndex((l) => l.startsWith('  host '));
    const named = lines.slice(strip + 1, lines.findIndex((l) => /^ {2}PROFILE/.test(l))).join('\n');
    for (const label of ['lab', 'main', 'rescue']) expect(named, frame).toMatch(new RegExp(`\\b${label}\\b`));
  });

  it('l shows an event of several lines as lines under its message: wrapped or not, every line after its first keeps the hanging indent', async () => {
    const { io } = fakeHost();
    const refusal = 'not started: the gateway of profile "main" cannot start:\n  port 18789 is held by pid 99 (node) on 127.0.0.1\nNothing was bound.';
    const top = draw({ ...io, log: async () => logEvents([['2026-01-01T00:00:00.000Z', 'error', refusal]]) }, 60, 20);
    await top.waitFor('› main');
    await top.press('l');
    const log = await top.waitFor('Nothing was bound.');
    expect(log).not.toContain('\\n');
    const lines = log.split('\n');
    const body = lines.slice(lines.findIndex((l) => l.startsWith('00:00:00.000 error not started')), lines.findIndex((l) => l.includes('Nothing was bound.')) + 1);
    expect(body.length, log).toBeGreaterThanOrEqual(4);
    const under = '00:00:00.000 error '.length;
    for (const line of body.slice(1)) expect(/^ */.exec(line)![0].length, log).toBeGreaterThanOrEqual(under);
    expect(body.find((l) => l.includes('port 18789'))).toMatch(new RegExp(`^ {${under + 2}}port 18789`));
  });

  it('at 40×12 keeps the host strip: the port map takes only the rows whose wrapped lines fit, instead of squeezing the strip out of the frame', async () => {
    const { io } = fakeHost();
    const top = draw(io, 40, 12);
    const main = await top.waitFor('› main');
    expectFits(main, 40, 12);
    expect(main, main).toMatch(/^ {2}host 18789 [█▒·]+ \d+$/m);
    expect(main).toMatch(/^ {13}main +lab$/m);
    // The title is not cut to "q q…": the key line under the frame names ? and q already.
    expect(main.split('\n')[0]).toBe('epiloop top · 2 profiles');
    // A port row's state wraps under its column; a row drawn is drawn whole.
    const pids = main.match(/\(pid/g)?.length ?? 0;
    expect(main.match(/4242\)/g)?.length ?? 0, main).toBe(pids);
  });

  it('at 40×20 shows the whole port map (its wrapped rows counted as the lines they take) and the log below it, no gap of blank lines; shorter, says how many rows are cut', async () => {
    const { io } = fakeHost();
    const top = draw(io, 40, 20);
    const main = await top.waitFor('› main');
    expectFits(main, 40, 20);
    const lines = main.split('\n');
    expect(lines.length, main).toBe(19);
    for (const port of ['18789', '18791', '18793', '18800–18899']) expect(main, main).toMatch(new RegExp(`^ *${port} `, 'm'));
    expect(main, main).toContain('log of main (l: all of it)');
    // Two spaces between the map's columns, as in every table: "browser control this gateway" read as one phrase.
    expect(main, main).toMatch(/browser control {2,}\S/);
    expect(main, main).not.toMatch(/\n\n\n/);
    top.size(40, 14);
    const cut = await top.waitFor(/… 2 more rows/);
    expectFits(cut, 40, 14);
    expect(cut, cut).toMatch(/^ *18791 /m);
    expect(cut, cut).not.toMatch(/^ *18793 /m);
    expect(cut, cut).toMatch(/^ *… 2 more rows$/m);
    expect(cut.split('\n').length, cut).toBe(13);
    expect(cut, cut).not.toMatch(/\n\n\n/);
  });

  it('keeps a broken config in sight at 60 and 40 columns, whichever columns give way (the BASE cell that words it among them)', async () => {
    const broken = profileOf({ name: 'main', config: '{ gateway: { port: "18789" } }', gateway: { pid: 4242 } });
    const { io } = fakeHost(NO_SERVICE, [broken, profileOf({ name: 'lab', config: 20789 })]);
    const top = draw(io, 80, 20);
    expect(await top.waitFor('› main'), top.screen()).toMatch(/^› main ! +18789 \(config broken\) +up · pid 4242/m);
    for (const columns of [60, 40]) {
      top.size(columns, 20);
      await top.settle();
      const frame = top.screen();
      expectFits(frame, columns, 20);
      expect(frame, frame).toMatch(/^› main ! .*up · pid 4242/m);
      expect(frame, frame).toMatch(/^ {2}lab .*down/m);
    }
  });

  it("with one profile's config broken, the host strip still draws the others' ports and marks the broken one, whichever is selected, at 80×24, 60×20 and 40×20", async () => {
    // gateway.port 99999: no base, so no footprint is known for main.
    const broken = profileOf({ name: 'main', config: '{ gateway: { port: 99999 } }' });
    const { io } = fakeHost(NO_SERVICE, [broken, profileOf({ name: 'rescue', config: 19789, gateway: { pid: 4242 } })]);
    const top = draw(io, 80, 24);
    await top.waitFor('› main');
    for (const [columns, rows] of [[80, 24], [60, 20], [40, 20]] as const) {
      top.size(columns, rows);
      for (const selected of ['main', 'rescue']) {
        if (selected === 'rescue') await top.press(KEYS.down);
        await top.settle();
        const frame = await top.waitFor(`› ${selected}`);
        expectFits(frame, columns, rows);
        const lines = frame.split('\n');
        const at = lines.findIndex((l) => l.startsWith('  host '));
        expect(at, frame).toBe(1);
        expect(lines[1], frame).toMatch(/^ {2}host 19789 [█▒·]+ 19899$/);
        expect(lines[2], frame).toMatch(/^ +rescue +main !/);
      }
      await top.press(KEYS.up);
    }
  });

  it('fits its table with a broken config\'s "!" at 40 columns: BACKUP stays whole, the GATEWAY cells leave their pid out where it would not fit (80 columns keep it)', async () => {
    const broken = profileOf({ name: null, config: '{ gateway: { port: 99999 } }' });
    const rescue = profileOf({ name: 'rescue', config: 19789, gateway: { pid: 123456 } });
    const { io } = fakeHost(NO_SERVICE, [broken, rescue]);
    const backups: TopIO = {
      ...io,
      async read() {
        const facts = await io.read();
        return { ...facts, rows: facts.rows.map((r, i) => ({ ...r, lastBackup: new Date(facts.at - (i === 0 ? 6_000 : 180_000)).toISOString() })) };
      },
    };
    const top = draw(backups, 80, 24);
    expect(await top.waitFor('› default !'), top.screen()).toMatch(/^ {2}rescue .*up · pid 123456 · 5m .*3m ago$/m);
    for (const [columns, rows] of [[60, 20], [40, 20]] as const) {
      top.size(columns, rows);
      await top.settle();
      const frame = top.screen();
      expectFits(frame, columns, rows);
      expect(frame, frame).toMatch(/^ {2}PROFILE .* BACKUP$/m);
      expect(frame, frame).toMatch(/^› default ! .* 6s ago$/m);
      expect(frame, frame).toMatch(/^ {2}rescue .*up · (pid 123456 · )?5m .*3m ago$/m);
    }
  });

  it('? shows every key whole at 80 columns, and what the ! after a name means', async () => {
    const { io } = fakeHost();
    const top = draw(io);
    await top.waitFor('› main');
    await top.press('?');
    const help = await top.waitFor('Keys');
    expectFits(help);
    expect(help).not.toContain('…');
    expect(words(help)).toContain('d doctor: what is wrong with it, and the command that fixes it (changes nothing)');
    // The mark a row and the host strip show, said where the keys are.
    expect(help).toMatch(/^! +after a name: it needs a fix; d says what is wrong$/m);
  });

  it('q quits from every view (d, l, ?, Enter) and from a question; Esc then q typed fast (Alt-q to the terminal) quits from the list', async () => {
    for (const keys of [['d'], ['l'], ['?'], [KEYS.enter], ['s'], [], [KEYS.down, 'd'], ['d', KEYS.esc]]) {
      const { io, acted } = fakeHost();
      const quit = vi.fn();
      const top = draw(io, 80, 24, quit);
      await top.waitFor('› main');
      await top.press(...keys);
      await top.press(keys.length === 0 || keys.at(-1) === KEYS.esc ? `${KEYS.esc}q` : 'q');
      await vi.waitFor(() => expect(quit, `after ${JSON.stringify(keys)}`).toHaveBeenCalledTimes(1), { timeout: 1000, interval: 10 });
      expect(acted).toEqual([]);
    }
  });
});

/** hostStartVerdict, pure: what of a host view keeps a profile's gateway from starting, in the words every surface says. */
import { describe, expect, it } from 'vitest';
import { hostRefusalProblems, hostStartVerdict, startFixWords } from '../../src/core/host/start';
import type { HostProfile } from '../../src/core/host/view';
import { HOME, held, profileOf, viewOf } from '../helpers/view';

const LAB = 'epiloop --profile lab';
const BIND = { addresses: ['127.0.0.1', '::1'], invocation: LAB };
const TOKEN = 'x'.repeat(24);
const MOVE = `Move this profile to a free base with "${LAB} onboard" (or "${LAB} doctor --fix")`;

const lab = (config: string | number, extra: Partial<Parameters<typeof profileOf>[0]> = {}) => profileOf({ name: 'lab', config, current: true, ...extra });

describe('hostStartVerdict', () => {
  it('refuses nothing on a host where the footprint is clear', () => {
    const me = lab(20789);
    expect(hostStartVerdict(viewOf([me, profileOf({ name: 'main', config: 18789 })]), me, { home: HOME, bind: BIND })).toEqual({
      config: { blocker: null, refusals: [] },
      host: [],
      blocker: null,
    });
  });

  it("refuses a base whose footprint lands in another profile's config, with the port map's words and the fix that moves it", () => {
    const me = lab(18799);
    const verdict = hostStartVerdict(viewOf([me, profileOf({ name: 'main', config: 18789 })]), me, { home: HOME, bind: BIND });
    expect(verdict.blocker).toBe('no other profile claims its ports');
    expect(verdict.host).toEqual([
      {
        kind: 'ports',
        blocker: 'no other profile claims its ports',
        heading: 'base 18799 (from config) of profile "lab"',
        refuses: 'these ports',
        sentences: ["18801 (browser control): inside main's CDP range", "18803 (canvas host): inside main's CDP range", "18810–18909 (CDP range): 90 of 100 inside other profiles: 18810–18899 (main's CDP range)"],
        fix: MOVE,
      },
    ]);
  });

  it("refuses the ports another profile's gateway serves now, though its config moved elsewhere; never its own gateway's", () => {
    const main = profileOf({ name: 'main', config: 30000, gateway: { pid: 600, base: 20789 } });
    const me = lab(20789, { gateway: { pid: 500 } });
    const clash = hostStartVerdict(viewOf([me, main], { 20789: held(600) }), me, { home: HOME, bind: BIND });
    expect(clash.host[0]?.sentences[0]).toBe("20789 (gateway): inside main's running gateway");
    const mine = lab(20789, { gateway: { pid: 500 } });
    expect(hostStartVerdict(viewOf([mine], { 20789: held(500) }), mine, { home: HOME, bind: BIND }).host).toEqual([]);
  });

  it('leaves a port a foreign process holds to the gateway, which names the holder when it binds', () => {
    const me = lab(20789);
    expect(hostStartVerdict(viewOf([me], { 20789: held(777, 'nginx') }), me, { home: HOME, bind: BIND }).blocker).toBeNull();
  });

  it('judges the base the start would use: one from EPILOOP_GATEWAY_PORT is fixed where it came from', () => {
    const me = lab(20789);
    const verdict = hostStartVerdict(viewOf([me, profileOf({ name: 'main', config: 18789 })]), me, { home: HOME, bind: BIND, base: { port: 18790, source: 'EPILOOP_GATEWAY_PORT' } });
    expect(verdict.host[0]).toMatchObject({ heading: 'base 18790 (from EPILOOP_GATEWAY_PORT) of profile "lab"', fix: "Unset EPILOOP_GATEWAY_PORT to use the config's base 20789" });
  });

  it("refuses a cdpUrl on another profile's ports, or on its own servers only on a base from the environment, each with its fix", () => {
    const config = (url: string) => JSON.stringify({ gateway: { port: 20789, auth: { token: TOKEN } }, browser: { cdpUrl: url } });
    const me = lab(config('http://127.0.0.1:18789'));
    const view = viewOf([me, profileOf({ name: 'main', config: 18789 })]);
    expect(hostStartVerdict(view, me, { home: HOME, bind: BIND }).host).toEqual([
      {
        kind: 'remote-browser',
        blocker: 'its remote browser is a Chrome of its own',
        heading: '~/.epiloop-lab/epiloop.json',
        refuses: 'this remote browser',
        sentences: ["browser.cdpUrl: port 18789 is inside main's gateway"],
        fix: `Fix it with "${LAB} doctor --fix", or point it at a Chrome of its own`,
      },
    ]);
    const own = lab(config('http://127.0.0.1:21000'));
    const moved = hostStartVerdict(viewOf([own]), own, { home: HOME, bind: BIND, base: { port: 21000, source: 'EPILOOP_GATEWAY_PORT' } });
    expect(moved.host[0]).toMatchObject({ sentences: ["browser.cdpUrl: port 21000 is lab's own gateway port, not a Chrome's"], fix: 'Start it on another base than 21000 (from EPILOOP_GATEWAY_PORT), or point it at a Chrome of its own' });
  });

  it('refuses a lock no gateway can take, in the words status says it, after what the config refuses', () => {
    const bare = lab(JSON.stringify({ gateway: { port: 20789 } }));
    const me: HostProfile = { ...bare, lock: { state: 'refused', refusal: { kind: 'not-regular', type: 'directory' } } };
    const verdict = hostStartVerdict(viewOf([me]), me, { home: HOME, bind: BIND });
    expect(verdict.blocker).toBe('the config is repaired and its lock file is removed');
    expect(verdict.host).toEqual([
      expect.objectContaining({ kind: 'lock', sentences: [expect.stringMatching(/^~\/\.epiloop-lab\/gateway\.lock .*remove it \(rm -r ~\/\.epiloop-lab\/gateway\.lock\)\.$/)], fix: 'Remove it (rm -r ~/.epiloop-lab/gateway.lock)' }),
    ]);
    // top's s and r: the config's repair, then the lock's.
    expect(startFixWords(verdict, `Repair it with "${LAB} doctor --fix"`)).toBe(`Repair it with "${LAB} doctor --fix". Remove it (rm -r ~/.epiloop-lab/gateway.lock)`);
  });

  it('says nothing of the host for a profile not set up: its own words do', () => {
    const me = profileOf({ name: 'lab', config: null, current: true });
    expect(hostStartVerdict(viewOf([me, profileOf({ name: 'main', config: 18789 })]), me, { home: HOME, bind: BIND }).blocker).toBeNull();
  });
});

describe('hostRefusalProblems: the refusals as status lists them', () => {
  it('lists what the port map did not, and while a gateway runs, that its restart would be refused and how to fix it', () => {
    const me = lab(18799, { gateway: { pid: 500 } });
    const verdict = hostStartVerdict(viewOf([me, profileOf({ name: 'main', config: 18789 })]), me, { home: HOME, bind: BIND });
    const rows = verdict.host[0]!.sentences;
    expect(hostRefusalProblems(verdict.host, rows, null, verdict.blocker)).toEqual([]);
    expect(hostRefusalProblems(verdict.host, [], null, verdict.blocker)).toEqual(rows);
    expect(hostRefusalProblems(verdict.host, rows, { pid: 500, url: 'http://127.0.0.1:18799' }, verdict.blocker)).toEqual([
      `The gateway (pid 500) keeps serving on http://127.0.0.1:18799, but a restart would be refused: it can restart once no other profile claims its ports. ${MOVE}.`,
    ]);
  });
});

/** The gateway's own rules beyond the schema: gateway.bind judged against this host's addresses, and the fix a refusal names. */
import { describe, expect, it } from 'vitest';
import { profileRuleProblems, ruleFixWords, startVerdict } from '../../src/core/config/profile-rules';
import { loadedConfigOf } from '../../src/core/config/parse';
import { CONFIG_REPAIRED } from '../../src/core/messages';
import { derivedPaths } from '../../src/core/profile/paths';

const HOME = '/home/ada';
const MAIN = { ...derivedPaths('main', HOME), explicit: { stateDir: false, configPath: false } };
/** This host's addresses, and main's command prefix as a shell without EPILOOP_PROFILE types it. */
const facts = (addresses: string[]) => ({ addresses, invocation: 'epiloop --profile main' });
const config = (bind?: string, token: string | null = 'a'.repeat(32)) => ({ gateway: { ...(bind === undefined ? {} : { bind }), ...(token === null ? {} : { auth: { token } }) } });

describe('profileRuleProblems: gateway.bind on an address of this host', () => {
  it('refuses an address this host does not have, with the fix the gateway\'s refusal names', () => {
    const [problem, ...rest] = profileRuleProblems(config('10.9.9.9'), MAIN, HOME, facts(['127.0.0.1', '192.168.1.5']));
    expect(rest).toEqual([]);
    expect(problem!.keys).toEqual(['gateway', 'bind']);
    expect(problem!.sentence).toBe('gateway.bind is "10.9.9.9", not an address of this host.');
    expect(problem!.byHand).toBe('set gateway.bind to an address of this host ("loopback", "lan", or one of: 192.168.1.5): epiloop --profile main config set gateway.bind loopback');
  });

  it('passes the words, the wildcards, loopback and an address the host has; without addresses the bind is not judged', () => {
    for (const bind of [undefined, 'loopback', 'lan', 'all', '127.0.0.2', '::1', '192.168.1.5']) expect(profileRuleProblems(config(bind), MAIN, HOME, facts(['127.0.0.1', '192.168.1.5']))).toEqual([]);
    expect(profileRuleProblems(config('10.9.9.9'), MAIN, HOME)).toEqual([]);
  });

  it('ruleFixWords: doctor --fix for what it fixes, the by-hand fix for the bind, both when both are there', () => {
    const repair = 'Fix it with "epiloop --profile main doctor --fix"';
    const addresses = ['127.0.0.1'];
    expect(ruleFixWords(profileRuleProblems(config(undefined, null), MAIN, HOME, facts(addresses)), repair)).toBe(repair);
    expect(ruleFixWords(profileRuleProblems(config('10.9.9.9'), MAIN, HOME, facts(addresses)), repair)).toBe('Fix: set gateway.bind to an address of this host ("loopback" or "lan"): epiloop --profile main config set gateway.bind loopback');
    expect(ruleFixWords(profileRuleProblems(config('10.9.9.9', null), MAIN, HOME, facts(addresses)), repair)).toBe(`${repair}; and set gateway.bind to an address of this host ("loopback" or "lan"): epiloop --profile main config set gateway.bind loopback`);
  });
});

describe('startVerdict: whether the gateway would start on a config, on this host\'s addresses', () => {
  const addresses = ['127.0.0.1', '::1'];
  const loaded = (text: string) => loadedConfigOf(text, MAIN.configPath);

  it('starts a valid config; waits for the repair of a broken one or one whose rules it refuses, with those rules', () => {
    expect(startVerdict(loaded(JSON.stringify(config())), MAIN, HOME, facts(addresses))).toEqual({ blocker: null, refusals: [] });
    expect(startVerdict(loaded('{ gateway: { port: "x" } }'), MAIN, HOME, facts(addresses))).toEqual({ blocker: CONFIG_REPAIRED, refusals: [] });
    const off = startVerdict(loaded(JSON.stringify(config('10.9.9.9'))), MAIN, HOME, facts(addresses));
    expect([off.blocker, off.refusals.map((r) => r.keys.join('.'))]).toEqual([CONFIG_REPAIRED, ['gateway.bind']]);
    expect(startVerdict(loaded(JSON.stringify(config('10.9.9.9'))), MAIN, HOME, facts([...addresses, '10.9.9.9']))).toEqual({ blocker: null, refusals: [] });
    // Not set up: its own words say so, no blocker.
    expect(startVerdict({ state: 'missing', path: MAIN.configPath }, MAIN, HOME, facts(addresses))).toEqual({ blocker: null, refusals: [] });
  });

  it('words a missing token as a sentence of its own: a capital first, like every problem line status lists', () => {
    const [problem] = startVerdict(loaded(JSON.stringify(config(undefined, null))), MAIN, HOME, facts(addresses)).refusals;
    expect(problem!.sentence).toBe('Profile "main" has no gateway.auth.token, so nothing could authenticate to it.');
  });
});

/** What top's s and r say instead of a start its config keeps from going ahead: the row's refusal, by the rules status judges by, on this host's addresses. */
import { describe, expect, it } from 'vitest';
import { hostStartVerdict, startRefusal } from '../../src/core/host/start';
import { topProfiles } from '../../src/core/top/profiles';
import { HOME, profileOf, viewOf } from '../helpers/view';

const TOKEN = 'x'.repeat(24);
const LOOPBACK = ['127.0.0.1', '::1'];
const LAB = 'epiloop --profile lab';
/** The fix status and start name for this bind (bindAddressFix): doctor --fix cannot choose an address. */
const BIND_FIX = 'Fix: set gateway.bind to an address of this host ("loopback" or "lan"): epiloop --profile lab config set gateway.bind loopback';

/** lab's row's refusal, as host/top/rows.ts reads it, and what top makes of it. */
function topOf(config: string, addresses: readonly string[], state: 'up' | 'down' = 'down') {
  const view = viewOf([profileOf({ name: 'lab', config })]);
  const refusal = startRefusal(hostStartVerdict(view, view.profiles[0]!, { home: HOME, bind: { addresses, invocation: LAB } }), LAB);
  return topProfiles([{ label: 'lab', state, refusal }])[0]!;
}

describe('topProfiles', () => {
  it('refuses a start and a restart on a bind on no address of this host, as status does; not on one of its addresses', () => {
    const config = JSON.stringify({ gateway: { port: 19789, bind: '203.0.113.9', auth: { token: TOKEN } } });
    expect(topOf(config, LOOPBACK)).toEqual({
      label: 'lab',
      state: 'down',
      startRefused: `✘ lab: not started: it can start once the config is repaired. ${BIND_FIX}.`,
      restartRefused: `✘ lab: not restarted: it can restart once the config is repaired; its gateway keeps running. ${BIND_FIX}.`,
    });
    expect(topOf(config, LOOPBACK).startRefused).not.toContain('doctor --fix');
    expect(topOf(config, [...LOOPBACK, '203.0.113.9'])).toEqual({ label: 'lab', state: 'down' });
  });

  it('leaves a config that starts alone, and refuses a broken one', () => {
    expect(topOf(JSON.stringify({ gateway: { port: 19789, auth: { token: TOKEN } } }), LOOPBACK, 'up')).toEqual({ label: 'lab', state: 'up' });
    expect(topOf('{ gateway: { port: "x" } }', LOOPBACK).startRefused).toBe('✘ lab: not started: it can start once the config is repaired. Repair it with "epiloop --profile lab doctor --fix".');
  });
});

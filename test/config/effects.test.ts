import { describe, expect, it } from 'vitest';
import { gatewayReads, reachAdvice, reachChange, restartAdvice, type RunningFacts } from '../../src/core/config/effects';
import { bindAddressWarning } from '../../src/core/gateway/plan';

const idle: RunningFacts = { gatewayPid: null, service: null, baseMoved: false, invocation: 'epiloop --profile rescue' };

describe('what a config change needs to apply', () => {
  it('knows which keys the gateway reads: the schema\'s', () => {
    expect(gatewayReads(['gateway', 'port'])).toBe(true);
    expect(gatewayReads(['watch', 'profiles', 0])).toBe(true);
    expect(gatewayReads(['plugins', 'voice'])).toBe(false);
    // Below a key it reads, a key the schema does not name is not read either (new-user pass).
    expect(gatewayReads(['watch', 'intervalSeconds'])).toBe(false);
    expect(gatewayReads(['agents', 'defaults', 'model'])).toBe(false);
    expect(gatewayReads(['browser', 'profiles', 'work', 'cdpPort'])).toBe(true);
  });

  it('names the exact command for each way the gateway runs', () => {
    expect(restartAdvice(['plugins'], null)).toEqual({ restart: false, text: 'epiloop\'s gateway does not read this key: nothing to restart.' });
    expect(restartAdvice(['gateway', 'bind'], idle)).toEqual({ restart: false, text: 'The gateway is not running: it uses the new value when it starts.' });
    expect(restartAdvice(['gateway', 'bind'], { ...idle, gatewayPid: 42 }).text).toBe(
      'The gateway (pid 42) reads its config when it starts: restart it to apply the change: epiloop --profile rescue restart',
    );
    const service = { name: 'epiloop-gateway-rescue.service', active: true };
    expect(restartAdvice(['gateway', 'bind'], { ...idle, gatewayPid: 42, service }).text).toBe(
      'The gateway reads its config when it starts: restart it to apply the change: epiloop --profile rescue gateway restart',
    );
    expect(restartAdvice(['gateway', 'port'], { ...idle, service: { ...service, active: false }, baseMoved: true })).toEqual({
      restart: true,
      text: 'The service epiloop-gateway-rescue.service runs the old base port: update it (it restarts if it runs) with: epiloop --profile rescue gateway install',
    });
  });

  it('says a gateway that is not running can start once its config is repaired, when the change leaves it broken', () => {
    const blocked = { blocker: 'the config is repaired' };
    expect(restartAdvice(['gateway', 'bind'], idle, blocked).text).toBe('The gateway is not running: it can start once the config is repaired.');
    expect(restartAdvice(['gateway', 'bind'], idle, { ...blocked, dryRun: true }).text).toBe('The gateway is not running: it can start once the config is repaired.');
  });

  it('never advises a restart into a config the gateway refuses: a running one keeps its old config until the blocker is gone', () => {
    const blocked = { blocker: 'the config is repaired' };
    const service = { name: 'epiloop-gateway-rescue.service', active: true };
    for (const dryRun of [false, true]) {
      const pid = restartAdvice(['gateway', 'bind'], { ...idle, gatewayPid: 42 }, { ...blocked, dryRun });
      expect(pid).toEqual({ restart: false, text: 'The gateway (pid 42) keeps its old config: it can restart once the config is repaired.' });
      expect(restartAdvice(['gateway', 'bind'], { ...idle, gatewayPid: 42, service }, { ...blocked, dryRun }).text).toBe('The gateway keeps its old config: it can restart once the config is repaired.');
    }
    // A service on the old base is updated by gateway install, which refuses a broken config too.
    expect(restartAdvice(['gateway', 'port'], { ...idle, service, baseMoved: true }, blocked).text).toBe(
      'The service epiloop-gateway-rescue.service runs the old base port: once the config is repaired, update it (it restarts if it runs) with: epiloop --profile rescue gateway install',
    );
    expect(restartAdvice(['gateway', 'port'], { ...idle, service, baseMoved: true }, { ...blocked, dryRun: true }).text).toBe(
      'The service epiloop-gateway-rescue.service runs the old base port: once the change is written and the config is repaired, update it (it restarts if it runs) with: epiloop --profile rescue gateway install',
    );
  });

  it('says what a dry run would need, not what to do now', () => {
    const dry = (facts: RunningFacts | null, path: (string | number)[] = ['gateway', 'bind']) => restartAdvice(path, facts, { dryRun: true }).text;
    expect(dry(null, ['plugins'])).toBe("epiloop's gateway does not read this key: nothing would need a restart.");
    expect(dry(idle)).toBe('The gateway is not running: it would use the new value when it starts.');
    expect(dry({ ...idle, gatewayPid: 42 })).toBe('The gateway (pid 42) reads its config when it starts: once the change is written, restart it to apply it: epiloop --profile rescue restart');
    const service = { name: 'epiloop-gateway-rescue.service', active: true };
    expect(dry({ ...idle, service })).toBe('The gateway reads its config when it starts: once the change is written, restart it to apply it: epiloop --profile rescue gateway restart');
    expect(dry({ ...idle, service, baseMoved: true }, ['gateway', 'port'])).toBe(
      'The service epiloop-gateway-rescue.service runs the old base port: once the change is written, update it (it restarts if it runs) with: epiloop --profile rescue gateway install',
    );
  });

  it('says who can reach the gateway when gateway.bind opens it to other machines, or closes it again', () => {
    const OPEN = 'every port but /health demands the token.';
    for (const bind of ['lan', 'all', '0.0.0.0', '192.168.1.20', '::']) {
      expect(reachAdvice(undefined, bind)).toBe(`! Other machines can reach this gateway with gateway.bind ${JSON.stringify(bind)}: ${OPEN}`);
    }
    expect(reachAdvice('lan', 'all')).toBe(`! Other machines can reach this gateway with gateway.bind "all": ${OPEN}`);
    expect(reachAdvice('loopback', 'lan', { dryRun: true })).toBe('! Other machines would reach this gateway with gateway.bind "lan": every port but /health would demand the token.');
    expect(reachAdvice('lan', 'loopback')).toBe('Only this machine can reach this gateway with gateway.bind "loopback".');
    expect(reachAdvice('0.0.0.0', undefined)).toBe('Only this machine can reach this gateway with gateway.bind unset (loopback).');
    expect(reachAdvice('all', '127.0.0.1', { dryRun: true })).toBe('Only this machine would reach this gateway with gateway.bind "127.0.0.1".');
    // Said of another profile's gateway (a rescue's alert): named, not "this gateway".
    expect(reachChange(undefined, 'lan', { gateway: "main's gateway" })).toEqual({ open: true, words: `other machines can reach main's gateway with gateway.bind "lan": ${OPEN.slice(0, -1)}` });
    expect(reachChange('lan', undefined, { gateway: "main's gateway" })).toEqual({ open: false, words: "only this machine can reach main's gateway with gateway.bind unset (loopback)" });
    // Loopback to loopback, or nothing changed: nothing to say.
    for (const [was, is] of [[undefined, 'loopback'], ['loopback', 'localhost'], ['localhost', undefined], ['lan', 'lan'], [undefined, undefined]] as const) expect(reachAdvice(was, is)).toBeNull();
  });
});

describe('a gateway.bind that is no address of this host', () => {
  it('is warned of, the command that sets loopback named; an address of this host, loopback and the wildcards are not', () => {
    const addresses = ['127.0.0.1', '192.168.1.5'];
    expect(bindAddressWarning('10.0.0.5', addresses, 'epiloop --profile main')).toBe(
      '! gateway.bind "10.0.0.5" is not an address of this host: the gateway will refuse to start with it. Fix: set gateway.bind to an address of this host ("loopback", "lan", or one of: 192.168.1.5): epiloop --profile main config set gateway.bind loopback',
    );
    for (const bind of [undefined, 'loopback', 'lan', '0.0.0.0', '192.168.1.5', 42]) expect(bindAddressWarning(bind, addresses, 'epiloop')).toBeNull();
  });
});

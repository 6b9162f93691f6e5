import { describe, expect, it } from 'vitest';
import { onlyTokenInvalid, planConfig, tokenChange, workspaceFor, workspaceOf } from '../../src/core/profile/plan';
import { resolveProfile } from '../../src/core/profile/paths';
import type { Config } from '../../src/core/config/schema';
import type { LoadedConfig } from '../../src/core/config/parse';

const paths = { stateDir: '/home/ada/.epiloop-rescue', home: '/home/ada' };

describe('planConfig', () => {
  it('keeps a workspace written as ~/… or relative when it names the planned directory, and replaces it when it does not', () => {
    const plan = { base: 19789, workspace: '/home/ada/.epiloop/workspace-rescue' };
    const tilde = { agents: { defaults: { workspace: '~/.epiloop/workspace-rescue' } } };
    expect(planConfig(tilde, plan, 't'.repeat(20), paths).agents).toEqual(tilde.agents);
    const relative = { agents: { defaults: { workspace: '../.epiloop/workspace-rescue' } } };
    expect(planConfig(relative, plan, 't'.repeat(20), paths).agents).toEqual(relative.agents);
    const other = { agents: { defaults: { workspace: '~/elsewhere' } } };
    expect(planConfig(other, plan, 't'.repeat(20), paths).agents).toEqual({ defaults: { workspace: plan.workspace } });
    expect(planConfig({}, plan, 't'.repeat(20)).agents).toEqual({ defaults: { workspace: plan.workspace } });
  });

  it('replaces a written workspace when it cannot tell where it points (no paths) or it is empty', () => {
    const plan = { base: 19789, workspace: '/home/ada/.epiloop/workspace-rescue' };
    const tilde = { agents: { defaults: { workspace: '~/.epiloop/workspace-rescue' } } };
    expect(planConfig(tilde, plan, 't'.repeat(20)).agents).toEqual({ defaults: { workspace: plan.workspace } });
    // An empty workspace resolves to the state dir, but is no workspace the user wrote.
    const inStateDir = { base: 19789, workspace: paths.stateDir };
    expect(planConfig({ agents: { defaults: { workspace: '' } } }, inStateDir, 't'.repeat(20), paths).agents).toEqual({ defaults: { workspace: paths.stateDir } });
  });

  it('sets the base and token inside keys that are null, keeping the others', () => {
    const plan = { base: 19789, workspace: '/w' };
    const out = planConfig({ gateway: null, agents: null, other: 1 }, plan, 't'.repeat(20));
    expect(out).toEqual({ gateway: { port: 19789, auth: { token: 't'.repeat(20) } }, agents: { defaults: { workspace: '/w' } }, other: 1 });
  });
});

describe('what setup does to a kept config\'s token', () => {
  const ok = (raw: Record<string, unknown>): LoadedConfig => ({ state: 'ok', path: '/c', text: '', raw, config: {} });
  const token = 'a'.repeat(16);

  it('keeps a valid token, adds one where there is none, and replaces anything else without showing it', () => {
    expect(tokenChange(ok({ gateway: { auth: { token } } }))).toBe('kept');
    expect(tokenChange({ state: 'missing', path: '/c' })).toBe('added');
    expect(tokenChange(ok({}))).toBe('added');
    expect(tokenChange(ok({ gateway: null }))).toBe('added');
    expect(tokenChange(ok({ gateway: 'x' }))).toBe('added');
    expect(tokenChange(ok({ gateway: { auth: {} } }))).toBe('added');
    expect(tokenChange(ok({ gateway: { port: 18789 } }))).toBe('added');
    expect(tokenChange(ok({ gateway: { auth: { token: null } } }))).toBe('added');
    expect(tokenChange(ok({ gateway: { auth: { token: 'short' } } }))).toEqual({ replaced: 'a 5-character string' });
    expect(tokenChange(ok({ gateway: { auth: { token: 'x'.repeat(8) } } }))).toEqual({ replaced: 'an 8-character string' });
    expect(tokenChange(ok({ gateway: { auth: { token: 42 } } }))).toEqual({ replaced: 'a value of type number' });
    expect(tokenChange({ state: 'invalid', path: '/c', text: '', raw: { gateway: { auth: { token: 'short' } } }, error: { kind: 'schema', file: '/c', problems: [] } })).toEqual({
      replaced: 'a 5-character string',
    });
  });

  it('replaces instead of refusing only when the token is the one key the schema rejected', () => {
    const problem = (path: string) => ({ path, value: '"x"', allowed: 'y' });
    const invalid = (paths: string[]): LoadedConfig => ({ state: 'invalid', path: '/c', text: '', error: { kind: 'schema', file: '/c', problems: paths.map(problem) } });
    expect(onlyTokenInvalid(invalid(['gateway.auth.token']))).toBe(true);
    expect(onlyTokenInvalid(invalid(['gateway.auth.token', 'gateway.port']))).toBe(false);
    expect(onlyTokenInvalid(invalid(['gateway.port']))).toBe(false);
    expect(onlyTokenInvalid({ state: 'invalid', path: '/c', text: '', error: { kind: 'syntax', file: '/c', line: 1, column: 1, message: 'x' } })).toBe(false);
    expect(onlyTokenInvalid(ok({}))).toBe(false);
  });
});

describe('the workspace a config gives', () => {
  const rescue = resolveProfile({ flag: 'rescue', env: {}, home: '/home/ada' });

  it('is agents.defaults.workspace resolved, else the profile\'s default, also when agents has no defaults', () => {
    expect(workspaceFor({ agents: { defaults: { workspace: '~/w' } } } as Config, rescue)).toBe('/home/ada/w');
    expect(workspaceFor({ agents: {} } as Config, rescue)).toBe('/home/ada/.epiloop/workspace-rescue');
    expect(workspaceFor(undefined, rescue)).toBe('/home/ada/.epiloop/workspace-rescue');
  });

  it('is read only from a config that loaded', () => {
    const ok: LoadedConfig = { state: 'ok', path: '/c', text: '', raw: {}, config: { agents: { defaults: { workspace: '/srv/w' } } } as Config };
    expect(workspaceOf(ok, rescue)).toBe('/srv/w');
    expect(workspaceOf({ state: 'missing', path: '/c' }, rescue)).toBe('/home/ada/.epiloop/workspace-rescue');
  });
});

import { describe, expect, it } from 'vitest';
import { onlyTokenInvalid, planConfig, tokenChange } from '../../src/core/profile/plan';
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
    expect(tokenChange(ok({ gateway: { auth: { token: null } } }))).toBe('added');
    expect(tokenChange(ok({ gateway: { auth: { token: 'short' } } }))).toEqual({ replaced: 'a 5-character string' });
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

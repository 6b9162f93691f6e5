import { describe, expect, it } from 'vitest';
import { planConfig } from '../../src/core/profile/plan';

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

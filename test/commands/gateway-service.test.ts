/** The service's problems as status lists them: sentences, each with a capital, like every other problem line. */
import { describe, expect, it } from 'vitest';
import { serviceProblems } from '../../src/commands/gateway-service';
import type { ServiceStatus } from '../../src/core/service/spec';

const service: ServiceStatus = {
  kind: 'systemd',
  usable: true,
  name: 'epiloop-gateway-main.service',
  installed: true,
  file: '/home/ada/.config/systemd/user/epiloop-gateway-main.service',
  state: 'failed',
  enabled: true,
  pid: null,
  mismatches: ['service runs port 18789 but config says 18889'],
};

describe('serviceProblems', () => {
  it('starts each problem with a capital', () => {
    const problems = serviceProblems(service, 'epiloop --profile main');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^The service epiloop-gateway-main\.service has failed\. /);
    expect(problems[1]).toMatch(/^The service epiloop-gateway-main\.service disagrees with the config: service runs port 18789 but config says 18889\. /);
  });
});

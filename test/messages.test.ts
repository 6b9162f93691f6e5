import { describe, expect, it } from 'vitest';
import { brokenConfig, brokenConfigProblems, notSetUp } from '../src/core/messages';

const who = { label: 'rescue', invocation: 'epiloop --profile rescue' };
const error = { kind: 'syntax' as const, file: '/h/.epiloop-rescue/epiloop.json', line: 3, column: 1, message: 'not valid JSON5' };

describe('the messages several commands share', () => {
  it('says a profile is not set up, and how to set it up with its own command line', () => {
    expect(notSetUp(who, '~/.epiloop-rescue/epiloop.json')).toBe(
      'profile "rescue" is not set up: no config at ~/.epiloop-rescue/epiloop.json. Run "epiloop --profile rescue setup" or "epiloop --profile rescue onboard" first.',
    );
    expect(notSetUp({ label: 'default', invocation: 'epiloop' }, '~/.epiloop/epiloop.json')).toContain('Run "epiloop setup" or "epiloop onboard" first.');
    // A watched profile's finding states the fact only.
    expect(notSetUp({ label: 'main' }, '~/.epiloop-main/epiloop.json')).toBe('profile "main" is not set up: no config at ~/.epiloop-main/epiloop.json');
  });

  it('says where a config is broken, then how to repair it, with a way out of the command\'s own', () => {
    const [where, repair] = brokenConfig(who, error, '~/.epiloop-rescue/epiloop.json').split('\n');
    expect(where).toMatch(/^~\/\.epiloop-rescue\/epiloop\.json:3:1: not valid JSON5/);
    expect(repair).toBe('The config of profile "rescue" is broken. Repair it with "epiloop --profile rescue doctor --fix" or "epiloop --profile rescue onboard".');
    expect(brokenConfig(who, error, 'x', 'replace it with "epiloop --profile rescue setup --force"')).toMatch(/onboard", or replace it with "epiloop --profile rescue setup --force"\.$/);
  });
  it('never advises the command that was just run: onboard over a broken config names doctor --fix only', () => {
    const repair = brokenConfig(who, error, 'x', undefined, 'onboard').split('\n')[1];
    expect(repair).toBe('The config of profile "rescue" is broken. Repair it with "epiloop --profile rescue doctor --fix".');
  });
  it('lists a broken config as its problems, the repair advice on the last one: advice is no problem of its own', () => {
    const repair = 'The config of profile "rescue" is broken. Repair it with "epiloop --profile rescue doctor --fix" or "epiloop --profile rescue onboard".';
    const problem = (path: string) => ({ path, value: '80', allowed: 'a port' });
    const schema = { kind: 'schema' as const, file: '/h/.epiloop-rescue/epiloop.json', problems: [problem('gateway.port'), problem('canvasHost.port')] };
    expect(brokenConfigProblems(who, schema, 'x')).toEqual(['x: gateway.port is 80, but must be a port', `x: canvasHost.port is 80, but must be a port\n${repair}`]);
    const fifo = { kind: 'refused' as const, file: '/h/.epiloop-rescue/epiloop.json', refusal: { kind: 'not-regular' as const, type: 'FIFO (named pipe)' } };
    const [refused, ...more] = brokenConfigProblems(who, fifo, 'x');
    expect(more).toEqual([]);
    expect(refused!.split('\n').map((l) => l.split(' ')[0])).toEqual(['x', 'Allowed:', 'Fix:', 'The']);
    expect(brokenConfigProblems(who, schema, 'x').join('\n')).toBe(brokenConfig(who, schema, 'x'));
  });
  it("names the profile in a refused file's fix: lab's FIFO is fixed by lab's setup, not the default profile's", () => {
    const fifo = { kind: 'refused' as const, file: '/h/.epiloop-lab/epiloop.json', refusal: { kind: 'not-regular' as const, type: 'FIFO (named pipe)' } };
    const lab = { label: 'lab', invocation: 'epiloop --profile lab' };
    const text = brokenConfig(lab, fifo, '~/.epiloop-lab/epiloop.json');
    expect(text).toContain('then "epiloop --profile lab setup" writes a fresh one');
    expect(text).not.toContain('"epiloop setup"');
  });
});

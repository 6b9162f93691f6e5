import { describe, expect, it } from 'vitest';
import { fingerprint, maskConfigLines, maskValue, maskValueAt } from '../../src/core/config/secrets';

const hidden = (text: string) => `‹${text.length} characters hidden, #${fingerprint(text)}›`;

describe("a command sink's arguments in config text (set's diff, doctor --fix's and the rollback's)", () => {
  it('keeps the program and hides the rest: a string, a list on one line, a list over several, several sinks on a line', () => {
    expect(maskConfigLines([`alerts: [{ type: 'command', command: 'notify --key K1' }, { "command": ["pager", "--token", "K2"] }],`])).toEqual([
      `alerts: [{ type: 'command', command: 'notify ${hidden('--key K1')}' }, { "command": ["pager", "${hidden('--token')}", "${hidden('K2')}"] }],`,
    ]);
    expect(maskConfigLines(['command: [', '  "prog",', '  "--pw", "K3"', '], token: "abcdef"', 'other: ["kept"]'])).toEqual([
      'command: [',
      '  "prog",',
      `  "${hidden('--pw')}", "${hidden('K3')}"`,
      `], token: "${hidden('abcdef')}"`,
      'other: ["kept"]',
    ]);
    // A program alone has nothing to hide.
    expect(maskConfigLines(['command: "solo"'])).toEqual(['command: "solo"']);
  });

  it('config get: the same, on the value', () => {
    expect(maskValue({ type: 'command', command: 'notify --key K1' }, 0)).toEqual({ type: 'command', command: `notify ${hidden('--key K1')}` });
    expect(maskValue(['pager', '--token'], 'command')).toEqual(['pager', hidden('--token')]);
  });

  it('config get of one word of a command list, by its index: as in the whole list (new-user pass: command[2] printed the secret)', () => {
    const at = (i: number) => ['watch', 'alerts', 0, 'command', i];
    expect(maskValueAt('/usr/bin/page-me', at(0))).toBe('/usr/bin/page-me');
    expect(maskValueAt('--token', at(1))).toBe(hidden('--token'));
    expect(maskValueAt('SEKRETARG', at(2))).toBe(hidden('SEKRETARG'));
    expect(maskValueAt(['page-me', 'SEKRETARG'], ['watch', 'alerts', 0, 'command'])).toEqual(['page-me', hidden('SEKRETARG')]);
    expect(maskValueAt('abcdefgh', ['gateway', 'auth', 'token'])).toBe(hidden('abcdefgh'));
    expect(maskValueAt(18789, ['gateway', 'port'])).toBe(18789);
  });
});

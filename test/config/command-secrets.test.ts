import { describe, expect, it } from 'vitest';
import { fingerprint, maskConfigLines, maskValue } from '../../src/core/config/secrets';

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
});

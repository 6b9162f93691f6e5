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

  it('a command string: the program kept after leading blanks, a quote escaped inside it, a quote left open at the end of the text', () => {
    expect(maskConfigLines(['command: "  notify --key K1"'])).toEqual([`command: "  notify ${hidden('--key K1')}"`]);
    // The escaped quotes belong to the string: nothing after them is shown, and what follows the string is read again.
    expect(maskConfigLines([String.raw`{ command: "notify --msg \"hi K1\" --key K2", token: "abc" }`])).toEqual([
      `{ command: "notify ${hidden(String.raw`--msg \"hi K1\" --key K2`)}", token: "${hidden('abc')}" }`,
    ]);
    expect(maskConfigLines([String.raw`command: 'say it\'s K1'`])).toEqual([`command: 'say ${hidden(String.raw`it\'s K1`)}'`]);
    // A broken file may leave the quote open: the rest of the text is the command.
    expect(maskConfigLines(['command: "notify --key K1'])).toEqual([`command: "notify ${hidden('--key K1')}`]);
  });

  it('a command list: single quotes, escaped quotes, a string left open at the end of the text', () => {
    expect(maskConfigLines([`command: ['pager', '--token', 'K2']`])).toEqual([`command: ['pager', '${hidden('--token')}', '${hidden('K2')}']`]);
    expect(maskConfigLines([String.raw`command: ["pager", "--msg \"K1\"", 'it\'s K2'], url: "x"`])).toEqual([
      `command: ["pager", "${hidden(String.raw`--msg \"K1\"`)}", '${hidden(String.raw`it\'s K2`)}'], url: "‹1 characters hidden›"`,
    ]);
    expect(maskConfigLines(['command: ["pager", "K2'])).toEqual([`command: ["pager", "${hidden('K2')}`]);
  });

  it('a word of a command list that is no string (a file the schema refuses, shown by doctor --fix and config get) is hidden all the same: a number may be a PIN', () => {
    expect(maskConfigLines(['command: ["pager", "--pin", 4711, true, ["K1"], "K2"], port: 1'])).toEqual([
      `command: ["pager", "${hidden('--pin')}", ${hidden('4711')}, ${hidden('true')}, ["${hidden('K1')}"], "${hidden('K2')}"], port: 1`,
    ]);
    expect(maskConfigLines(['command: [', '  "pager",', '  4711', ']'])).toEqual(['command: [', '  "pager",', `  ${hidden('4711')}`, ']']);
    // A line comment inside the list is the user's note, not a word; a "]" in it closes nothing.
    expect(maskConfigLines(['command: ["pager", // see [docs]', '  "K1"]'])).toEqual(['command: ["pager", // see [docs]', `  "${hidden('K1')}"]`]);
    expect(maskValue(['pager', '--pin', 4711, ['K1']], 'command')).toEqual(['pager', hidden('--pin'), hidden('4711'), hidden('["K1"]')]);
    expect(maskValueAt(4711, ['watch', 'alerts', 0, 'command', 2])).toBe(hidden('4711'));
  });

  it('a command list holding an object: its words hidden to the end of the list, what follows the list shown as it is', () => {
    expect(maskConfigLines(['alerts: [{ command: ["pager", { pin: 4711 }, "K2"], type: "command" }]'])).toEqual([
      `alerts: [{ command: ["pager", { ${hidden('pin')}: ${hidden('4711')} }, "${hidden('K2')}"], type: "command" }]`,
    ]);
  });

  it('the program is the first word of a list: when it is no string, no later string is taken for it', () => {
    const [shown] = maskConfigLines(['command: [4711, "K1"]']);
    expect(shown).toContain(`"${hidden('K1')}"`);
    expect(shown).not.toContain('"K1"');
  });

  it('a value on the line after its key (JSON5 lets a key end its line) is masked as on the same line: a token, a command, a URL', () => {
    expect(maskConfigLines(['{', '  token:', '    "abcdef",', '  command: // the pager', '', '    ["pager", "K1"],', '  "url" :', '    "https://ntfy.sh/s3cr3t"', '}'])).toEqual([
      '{',
      '  token:',
      `    "${hidden('abcdef')}",`,
      '  command: // the pager',
      '',
      `    ["pager", "${hidden('K1')}"],`,
      '  "url" :',
      '    "https://ntfy.sh/***"',
      '}',
    ]);
    // Inside a command list a word is a word, whatever it looks like.
    expect(maskConfigLines(['command: ["pager", token:', '  "K1"]'])).toEqual([`command: ["pager", ${hidden('token')}:`, `  "${hidden('K1')}"]`]);
  });

  it('config get: the same, on the value', () => {
    expect(maskValue({ type: 'command', command: 'notify --key K1' }, 0)).toEqual({ type: 'command', command: `notify ${hidden('--key K1')}` });
    expect(maskValue(['pager', '--token'], 'command')).toEqual(['pager', hidden('--token')]);
    expect(maskValue({ command: '  notify --key K1' }, 0)).toEqual({ command: `  notify ${hidden('--key K1')}` });
    // A command of no shape the schema takes (a broken file) has no arguments to hide.
    expect(maskValue({ type: 'command', command: 42 }, 0)).toEqual({ type: 'command', command: 42 });
  });

  it('config get of one word of a command list, by its index: as in the whole list (new-user pass: command[2] printed the secret)', () => {
    const at = (i: number) => ['watch', 'alerts', 0, 'command', i];
    expect(maskValueAt('/usr/bin/page-me', at(0))).toBe('/usr/bin/page-me');
    expect(maskValueAt('--token', at(1))).toBe(hidden('--token'));
    expect(maskValueAt('SEKRETARG', at(2))).toBe(hidden('SEKRETARG'));
    expect(maskValueAt(['page-me', 'SEKRETARG'], ['watch', 'alerts', 0, 'command'])).toEqual(['page-me', hidden('SEKRETARG')]);
    expect(maskValueAt('abcdefgh', ['gateway', 'auth', 'token'])).toBe(hidden('abcdefgh'));
    expect(maskValueAt(18789, ['gateway', 'port'])).toBe(18789);
    // A command string asked for whole: its program kept, as in the list.
    expect(maskValueAt('page-me --key K1', ['watch', 'alerts', 0, 'command'])).toBe(`page-me ${hidden('--key K1')}`);
    // Only a command's words: another list's entries, and other strings, are shown as they are.
    expect(maskValueAt('loopback', ['gateway', 'bind'])).toBe('loopback');
    expect(maskValueAt('work', ['watch', 'profiles', 1])).toBe('work');
    // A browser profile may be named "command": its settings are no command's words.
    expect(maskValueAt('http://127.0.0.1:18800', ['browser', 'profiles', 'command', 'cdpUrl'])).toBe('http://127.0.0.1:18800');
    expect(maskValueAt('SEKRETARG', ['command', 1])).toBe(hidden('SEKRETARG'));
  });
});

describe('a command list with a comment in it (user pass: the mask landed on the comment)', () => {
  it('a "]" in a block comment closes nothing: the words after it are hidden, the comment shown as it is', () => {
    expect(maskConfigLines(['command: ["notify", /* ] */ "SECRETarg1"]'])).toEqual([`command: ["notify", /* ] */ "${hidden('SECRETarg1')}"]`]);
    expect(maskConfigLines(['command: [ /* the pager */ "pager", "K1"]'])).toEqual([`command: [ /* the pager */ "pager", "${hidden('K1')}"]`]);
  });
});

describe('a command in a broken file (text JSON5 cannot read): the same masker, unreadable parts as words', () => {
  const BROKEN = 'bind: "loopback';

  it('a string left open inside a command list: the rest of its line hidden; a program left open is hidden too (it holds the arguments)', () => {
    expect(maskConfigLines(['command: ["pager", "--key SECRETarg9'])).toEqual([`command: ["pager", "${hidden('--key SECRETarg9')}`]);
    expect(maskConfigLines(['command: ["pager --key SECRETarg9', '  "K2"]'])).toEqual([`command: ["${hidden('pager --key SECRETarg9')}`, `  "${hidden('K2')}"]`]);
  });

  it('a stray character in a command list is a word hidden, and the words after it too', () => {
    expect(maskConfigLines(['command: ["pager", #SECRETarg9, "K2"], port: 1', BROKEN])).toEqual([`command: ["pager", ${hidden('#SECRETarg9')}, "${hidden('K2')}"], port: 1`, BROKEN]);
    expect(maskConfigLines(['command: ["pager" = "SECRETarg9"]'])).toEqual([`command: ["pager" ${hidden('=')} "${hidden('SECRETarg9')}"]`]);
  });

  it('a line comment holding a command list, in a file that reads and in one that does not', () => {
    const masked = `// command: ["prog", "${hidden('SECRETarg9')}"]`;
    expect(maskConfigLines(['// command: ["prog", "SECRETarg9"]', '{}'])).toEqual([masked, '{}']);
    expect(maskConfigLines(['// command: ["prog", "SECRETarg9"]', BROKEN])).toEqual([masked, BROKEN]);
  });

  it('a command string left open on the line after its key', () => {
    expect(maskConfigLines(['command:', '  "notify --key SECRETarg9'])).toEqual(['command:', `  "notify ${hidden('--key SECRETarg9')}`]);
  });
});

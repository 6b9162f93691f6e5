/**
 * A token of the wrong kind is a secret all the same (hostile pass): a list, an object or a
 * number under `token` printed in clear in config set's refusal and in doctor --fix's diff.
 */
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { parseValueText } from '../../src/core/config/keypath';
import { writtenNumbers, writtenValueNumbers } from '../../src/core/config/written';
import { fingerprint, maskConfigLines, maskDiffSides, maskSecrets, maskValue, maskValueAt } from '../../src/core/config/secrets';

const hidden = (text: string) => `‹${text.length} characters hidden, #${fingerprint(text)}›`;
const SECRET = 'abcdefghijklmnopqrstuvwxyz';

describe('a token value of any kind, as config set and config get show it', () => {
  it('hides list items, object values and numbers, at any depth; true, false and null are no secret', () => {
    expect(maskValueAt([SECRET], ['gateway', 'auth', 'token'])).toEqual([hidden(SECRET)]);
    expect(maskValueAt({ a: SECRET, b: [SECRET, 7] }, ['gateway', 'auth', 'token'])).toEqual({ a: hidden(SECRET), b: [hidden(SECRET), hidden('7')] });
    expect(maskValueAt(1234567890123456789, ['gateway', 'auth', 'token'])).toBe(hidden(String(1234567890123456789)));
    expect(maskValue({ auth: { token: [SECRET] } }, 'gateway')).toEqual({ auth: { token: [hidden(SECRET)] } });
    expect(maskValue({ token: 12345 }, 'auth')).toEqual({ token: hidden('12345') });
    expect(maskValue({ token: null }, 'auth')).toEqual({ token: null });
    expect(maskValueAt(true, ['gateway', 'auth', 'token'])).toBe(true);
  });
});

describe('a token value of any kind in config text (set, doctor --fix and rollback diffs)', () => {
  it('hides a number', () => {
    expect(maskConfigLines(['      "token": 12345678901234567000', '  token: -0x1F, port: 18789'])).toEqual([
      `      "token": ${hidden('12345678901234567000')}`,
      `  token: ${hidden('-0x1F')}, port: 18789`,
    ]);
  });

  it('hides the items of a list and the values of an object, on one line or over several; the rest of the file is kept', () => {
    expect(maskConfigLines([`auth: { token: ["${SECRET}", 42] }, port: 18789`])).toEqual([`auth: { token: ["${hidden(SECRET)}", ${hidden('42')}] }, port: 18789`]);
    expect(maskConfigLines(['      "token": [', `        "${SECRET}"`, '      ]', '    },', '    "port": 18789'])).toEqual([
      '      "token": [',
      `        "${hidden(SECRET)}"`,
      '      ]',
      '    },',
      '    "port": 18789',
    ]);
    expect(maskConfigLines(['"token": {', `  "a": "${SECRET}",`, `  b: { c: ['${SECRET}'] }`, '}, other: "kept", n: 5'])).toEqual([
      '"token": {',
      `  "a": "${hidden(SECRET)}",`,
      `  b: { c: ['${hidden(SECRET)}'] }`,
      '}, other: "kept", n: 5',
    ]);
  });

  it('a string token is still masked once, as before', () => {
    expect(maskConfigLines([`token: "${SECRET}"`])).toEqual([`token: "${hidden(SECRET)}"`]);
  });
});

describe('a token value of any kind in config text: its parts, and what comes after it', () => {
  it('a list or object nested in the token is hidden to its end, and what follows the token is shown as it is', () => {
    expect(maskConfigLines(['gateway: { auth: { token: [["K1"], { a: "K2" }, "K3"] }, bind: "loopback" }'])).toEqual([
      `gateway: { auth: { token: [["${hidden('K1')}"], { a: "${hidden('K2')}" }, "${hidden('K3')}"] }, bind: "loopback" }`,
    ]);
  });

  it('written compactly: a key right after the brace is kept, a number right after the bracket hidden', () => {
    expect(maskConfigLines(['token: {a: "K1"}', 'token: [12345678]'])).toEqual([`token: {a: "${hidden('K1')}"}`, `token: [${hidden('12345678')}]`]);
  });

  it("an object's key is kept with blanks before its colon; a string left open at the end of the text gets no closing quote", () => {
    expect(maskConfigLines(['token: { "a" : "K1" }'])).toEqual([`token: { "a" : "${hidden('K1')}" }`]);
    expect(maskConfigLines(['token: ["K1'])).toEqual([`token: ["${hidden('K1')}`]);
  });

  it('a key inside the token that ends its line names no value of its own: the next line is a part of the token', () => {
    expect(maskConfigLines(['token: { url:', '  "K1" }'])).toEqual(['token: { url:', `  "${hidden('K1')}" }`]);
  });

  it('a token on the line after its key: that one line is masked, the lines after it are shown as they are', () => {
    expect(maskConfigLines(['auth: { token:', '  "abcdefghijklmnop" },', 'watch: { profiles: [', '  "work",', '] }'])).toEqual([
      'auth: { token:',
      `  "${hidden('abcdefghijklmnop')}" },`,
      'watch: { profiles: [',
      '  "work",',
      '] }',
    ]);
  });
});

describe('a token written without quotes (a broken file: doctor shows its line, a diff may show it)', () => {
  it('is hidden whole, whatever its characters, as config get hides any number; the rest of the line is shown', () => {
    expect(maskSecrets('    auth: { token: 9f86d081884c7d65 },')).toBe(`    auth: { token: ${hidden('9f86d081884c7d65')} },`);
    expect(maskSecrets('token: abcdef0123456789, bind: "loopback"')).toBe(`token: ${hidden('abcdef0123456789')}, bind: "loopback"`);
    expect(maskConfigLines(['gateway: { auth: { token: -Infinity }, bind: "loopback" }'])).toEqual([`gateway: { auth: { token: ${hidden('-Infinity')} }, bind: "loopback" }`]);
  });

  it('inside a list or an object too; true, false and null are no secret, nor is a key', () => {
    expect(maskConfigLines(['token: [ab12cd34, true, null, 1.2.3, { k: x9 }]'])).toEqual([`token: [${hidden('ab12cd34')}, true, null, ${hidden('1.2.3')}, { k: ${hidden('x9')} }]`]);
    expect(maskConfigLines(['token: null, port: 18789'])).toEqual(['token: null, port: 18789']);
  });

  it('a comment after the key is no value', () => {
    expect(maskConfigLines(['token: // written below', '  "abcdef"'])).toEqual(['token: // written below', `  "${hidden('abcdef')}"`]);
  });
});

describe('one fingerprint for one token: computed from the text as the file holds it, in every place (user pass)', () => {
  const file = '{ gateway: { auth: { token: 1234567890123456789012 } } }';
  const raw = JSON5.parse(file) as { gateway: { auth: { token: number } } };
  const inFile = hidden('1234567890123456789012');
  const path = ['gateway', 'auth', 'token'];

  it('a token written as a long number (rounded when read): config get of it or of an object above it, and the diff, agree', () => {
    expect(maskConfigLines([file])).toEqual([`{ gateway: { auth: { token: ${inFile} } } }`]);
    expect(maskValueAt(raw.gateway.auth.token, path, writtenNumbers(file, path))).toBe(inFile);
    expect(maskValueAt(raw.gateway, ['gateway'], writtenNumbers(file, ['gateway']))).toEqual({ auth: { token: inFile } });
    expect(maskValueAt(raw, [], writtenNumbers(file, []))).toEqual({ gateway: { auth: { token: inFile } } });
  });

  it('inside a token list, and a command word, read the same way; a later equal key is the one read', () => {
    const text = '{ auth: { token: [1, 0x00ff, 98765432109876543210, { k: 0x10 }] }, watch: { alerts: [{ command: ["pager", 1e400], command: ["pager", 12345678901234567890] }] } }';
    const value = JSON5.parse(text) as Record<string, unknown>;
    expect(maskValueAt(value, [], writtenNumbers(text, []))).toEqual({
      auth: { token: [hidden('1'), hidden('0x00ff'), hidden('98765432109876543210'), { k: hidden('0x10') }] },
      watch: { alerts: [{ command: ['pager', hidden('12345678901234567890')] }] },
    });
    expect(maskValueAt(12345678901234567890, ['watch', 'alerts', 0, 'command', 1], writtenNumbers(text, ['watch', 'alerts', 0, 'command', 1]))).toBe(hidden('12345678901234567890'));
    expect(maskConfigLines([text])[0]).toContain(hidden('12345678901234567890'));
  });

  it('config set: the value as typed, quoted or not, has the fingerprint its text has', () => {
    const quoted = maskValueAt(parseValueText('"12345678901234567890"'), path);
    expect(quoted).toBe(hidden('12345678901234567890'));
    expect(maskValueAt(parseValueText('12345678901234567890'), path, writtenValueNumbers('12345678901234567890', path))).toBe(quoted);
    expect(maskValueAt(parseValueText('[12345678901234567890]'), path, writtenValueNumbers('[12345678901234567890]', path))).toEqual([quoted]);
    expect(maskValueAt(parseValueText('12345678901234567890 // mine'), path, writtenValueNumbers('12345678901234567890 // mine', path))).toBe(quoted);
  });

  it('with no text to read (a file too broken for it) the number as read', () => {
    expect(maskValueAt(12345, path, writtenNumbers('{ broken', path))).toBe(hidden('12345'));
    expect(maskValueAt(12345, path)).toBe(hidden('12345'));
    // A path the text does not hold (a key missing on the way, a value that is no object) reads nothing.
    expect(maskValueAt(12345, path, writtenNumbers('{ gateway: 1 }', path))).toBe(hidden('12345'));
    expect(maskValueAt(12345, path, writtenNumbers('{ other: 1 }', path))).toBe(hidden('12345'));
    // An index past a list's end holds no number either (no throw).
    expect(writtenNumbers('{ list: [1] }', ['list', 3])(['list', 3])).toBeUndefined();
  });

  it('a number is read under its own key, not a sibling\'s', () => {
    const text = '{ a: { token: 0x10 }, b: { token: 0x20 } }';
    expect(writtenNumbers(text, ['a', 'token'])(['a', 'token'])).toBe('0x10');
    expect(writtenNumbers(text, ['b'])(['b', 'token'])).toBe('0x20');
  });
});

describe('a secret behind a comment, an escaped key name or a line continuation (user pass: shown in clear)', () => {
  const TOK = 'SECRETtok0123456789abcdefXYZ';

  it('a block comment between the colon and the value, quoted or not (a broken file)', () => {
    expect(maskSecrets(`token: /* x */ "${TOK}"`)).toBe(`token: /* x */ "${hidden(TOK)}"`);
    expect(maskConfigLines([`{ gateway: { auth: { token: /* x */ ${TOK} } } }`])).toEqual([`{ gateway: { auth: { token: /* x */ ${hidden(TOK)} } } }`]);
    expect(maskSecrets(`{ gateway: { auth: { token: /* x */ ${TOK} } } }`)).not.toContain(TOK);
  });

  it('a comment between the key and the colon', () => {
    expect(maskSecrets(`"token" /* c */ : "${TOK}"`)).toBe(`"token" /* c */ : "${hidden(TOK)}"`);
    expect(maskConfigLines(['token// c', `: "${TOK}"`])).toEqual(['token// c', `: "${hidden(TOK)}"`]);
  });

  it('a key name written with escapes is the key it reads as', () => {
    expect(maskSecrets(`\\u0074oken: "${TOK}"`)).toBe(`\\u0074oken: "${hidden(TOK)}"`);
    expect(maskSecrets(`'t\\u006fken': "${TOK}"`)).toBe(`'t\\u006fken': "${hidden(TOK)}"`);
  });

  it('a string continued on the next line: no part of it shows, the lines stay as many', () => {
    const lines = ['auth: {', '  token: "SECRETtok0123\\', '456789abcdefXYZ",', '  mode: "token" }'];
    const shown = maskConfigLines(lines);
    expect(shown).toHaveLength(4);
    expect(shown.join('\n')).not.toMatch(/SECRET|456789/);
    expect(shown[3]).toBe('  mode: "token" }');
  });

  it('a "]" or "}" in a comment or a string closes no token list or object', () => {
    expect(maskConfigLines(['token: [ /* ] */ "K1", // ]', '  "K2" ], port: 1'])).toEqual([`token: [ /* ] */ "${hidden('K1')}", // ]`, `  "${hidden('K2')}" ], port: 1`]);
    expect(maskConfigLines(['token: { /* } */ a: "K1" }'])).toEqual([`token: { /* } */ a: "${hidden('K1')}" }`]);
    expect(maskConfigLines(['token: ["]", "K1"]'])).toEqual([`token: ["${hidden(']')}", "${hidden('K1')}"]`]);
  });

  it('a token commented out is still masked', () => {
    expect(maskConfigLines([`// token: "${TOK}"`, `{ port: 1 } /* token: "${TOK}" */`]).join('\n')).not.toContain(TOK);
  });
});

describe('text that does not split into tokens (a broken file): a block comment between key, colon and value is read past', () => {
  const TOK = 'SECRETtok0123456789abcdefXYZ';
  const BROKEN = 'bind: "loopback'; // a quote left open: the text is no JSON5 tokens

  it('a token, quoted or not, a URL and a command', () => {
    expect(maskConfigLines([`token: /* x */ "${TOK}",`, BROKEN])).toEqual([`token: /* x */ "${hidden(TOK)}",`, BROKEN]);
    expect(maskConfigLines([`"token" /* c */ : /* d */ "${TOK}",`, BROKEN])).toEqual([`"token" /* c */ : /* d */ "${hidden(TOK)}",`, BROKEN]);
    expect(maskConfigLines([`auth: { token: /* x */ ${TOK} },`, BROKEN])).toEqual([`auth: { token: /* x */ ${hidden(TOK)} },`, BROKEN]);
    expect(maskConfigLines(['url: /* x */ "ntfy.sh/s3cr3t",', BROKEN])).toEqual(['url: /* x */ "‹14 characters hidden›",', BROKEN]);
    expect(maskConfigLines(['command: /* x */ ["notify", "K1"],', BROKEN])).toEqual([`command: /* x */ ["notify", "${hidden('K1')}"],`, BROKEN]);
    expect(maskSecrets(`token: /* x */ "${TOK}`)).toBe(`token: /* x */ "${hidden(TOK)}`);
  });

  it('a block comment inside a command list or a token list or object is shown as it is and closes nothing', () => {
    expect(maskConfigLines(['command: ["notify", /* ] */ "SECRETarg1"]', BROKEN])).toEqual([`command: ["notify", /* ] */ "${hidden('SECRETarg1')}"]`, BROKEN]);
    expect(maskConfigLines(['token: [ /* ] */ "K1" ], port: 1', BROKEN])).toEqual([`token: [ /* ] */ "${hidden('K1')}" ], port: 1`, BROKEN]);
    expect(maskConfigLines(['token: { /* } */ a: "K1" }', BROKEN])).toEqual([`token: { /* } */ a: "${hidden('K1')}" }`, BROKEN]);
  });
});

describe('a broken line after the text changes the masking of none of the lines before it', () => {
  const cases: string[][] = [
    ['      "token": 12345678901234567000', '  token: -0x1F, port: 18789'],
    [`auth: { token: ["${SECRET}", 42] }, port: 18789`],
    ['      "token": [', `        "${SECRET}"`, '      ]', '    },', '    "port": 18789'],
    ['"token": {', `  "a": "${SECRET}",`, `  b: { c: ['${SECRET}'] }`, '}, other: "kept", n: 5'],
    ['gateway: { auth: { token: [["K1"], { a: "K2" }, "K3"] }, bind: "loopback" }'],
    ['token: {a: "K1"}', 'token: [12345678]', 'token: { "a" : "K1" }', 'token: { url:', '  "K1" }'],
    ['auth: { token:', '  "abcdefghijklmnop" },', 'watch: { profiles: [', '  "work",', '] }'],
    ['token: [ab12cd34, true, null, 1.2.3, { k: x9 }]', 'token: null, port: 18789', 'token: // written below', '  "abcdef"'],
    [`alerts: [{ type: 'command', command: 'notify --key K1' }, { "command": ["pager", "--token", "K2"] }],`],
    ['command: [', '  "prog",', '  "--pw", "K3"', '], token: "abcdef"', 'other: ["kept"]', 'command: "  notify --key K1"'],
    [String.raw`{ command: "notify --msg \"hi K1\" --key K2", token: "abc" }`, String.raw`command: ["pager", "--msg \"K1\"", 'it\'s K2'], url: "x"`],
    ['command: ["pager", "--pin", 4711, true, ["K1"], "K2"], port: 1', 'command: ["pager", // see [docs]', '  "K1"]', 'command: [4711, "K1"]'],
    ['alerts: [{ command: ["pager", { pin: 4711 }, "K2"], type: "command" }]', '  command: // the pager', '', '    ["pager", "K1"],', '  "url" :', '    "https://ntfy.sh/s3cr3t"'],
  ];
  it.each(cases)('%s', (...lines: string[]) => {
    expect(maskConfigLines([...lines, '"broken']).slice(0, -1)).toEqual(maskConfigLines(lines));
  });
});

describe('a broken file (text JSON5 cannot read) is masked by the same masker, its unreadable parts as words', () => {
  const TOK = 'SECRETtok0123456789abcdefXYZ';
  const BROKEN = 'bind: "loopback'; // a quote left open: the text is no JSON5

  it('a token string left open: its quote shown, the rest of its line hidden, on its key line or the next one', () => {
    expect(maskConfigLines([`{ gateway: { auth: { token: "${TOK}, port: 1`, '} }'])).toEqual([`{ gateway: { auth: { token: "${hidden(`${TOK}, port: 1`)}`, '} }']);
    expect(maskConfigLines(['{ gateway: { auth: { token:', `   "${TOK}`])).toEqual(['{ gateway: { auth: { token:', `   "${hidden(TOK)}`]);
  });

  it('a key written with escapes is the key it reads as', () => {
    expect(maskConfigLines([`{ "\\u0074oken": "${TOK}" }`, BROKEN])).toEqual([`{ "\\u0074oken": "${hidden(TOK)}" }`, BROKEN]);
    expect(maskConfigLines([`{ t\\u006fken: ${TOK} }`, BROKEN])).toEqual([`{ t\\u006fken: ${hidden(TOK)} }`, BROKEN]);
  });

  it('a key and its colon on different lines', () => {
    expect(maskConfigLines(['auth: { token', `  : "${TOK}" },`, BROKEN])).toEqual(['auth: { token', `  : "${hidden(TOK)}" },`, BROKEN]);
    expect(maskConfigLines(['auth: { "token" // the key', '', `  : ${TOK} },`, BROKEN])).toEqual(['auth: { "token" // the key', '', `  : ${hidden(TOK)} },`, BROKEN]);
  });

  it('a block comment left open holding a token: the rest of the text is a comment, masked as text', () => {
    expect(maskConfigLines(['{ port: 1 } /* old:', `  token: "${TOK}"`, '  more'])).toEqual(['{ port: 1 } /* old:', `  token: "${hidden(TOK)}"`, '  more']);
  });

  it('a token that is no number JSON5 reads (-abc, 0x, 1e) is hidden whole', () => {
    expect(maskConfigLines(['token: -abc, port: 1'])).toEqual([`token: ${hidden('-abc')}, port: 1`]);
    expect(maskSecrets(`auth: { token: 0x${TOK} }`)).toBe(`auth: { token: ${hidden(`0x${TOK}`)} }`);
    expect(maskSecrets('token: 1e99zz9, x: 1')).toBe(`token: ${hidden('1e99zz9')}, x: 1`);
  });

  it('a stray character in or before a token is a part of the word hidden', () => {
    expect(maskSecrets(`token: #${TOK}, port: 1`)).toBe(`token: ${hidden(`#${TOK}`)}, port: 1`);
    expect(maskSecrets(`token: [@${TOK}, "K1"]`)).toBe(`token: [${hidden(`@${TOK}`)}, "${hidden('K1')}"]`);
  });

  it('a line comment holding a token in a broken file', () => {
    expect(maskConfigLines([`// token: "${TOK}"`, BROKEN])).toEqual([`// token: "${hidden(TOK)}"`, BROKEN]);
    expect(maskConfigLines([`port: 1, // was token: ${TOK}`, BROKEN])).toEqual([`port: 1, // was token: ${hidden(TOK)}`, BROKEN]);
  });

  it('comments in comments (commented out twice, or deeper than any file needs) still show no token', () => {
    expect(maskConfigLines([`// // token: "${TOK}"`])).toEqual([`// // token: "${hidden(TOK)}"`]);
    expect(maskConfigLines([`${'// '.repeat(100_000)}token: "${TOK}"`])[0]).not.toContain(TOK);
  });
});

describe('a quote or comment out of place in a broken file (the masking property found these showing the token)', () => {
  const TOK = 'SECRETtok0123456789abcdefXYZ';

  it('a quote stuck in before the token swallows its key into a string: the key that string ends with masks the value after it', () => {
    expect(maskSecrets(`{ gateway: { bind: "lo"op", auth: { token: "${TOK}" } } }`)).not.toContain(TOK);
    expect(maskSecrets(`'{ gateway: { auth: { token: "${TOK}" } } }`)).not.toContain(TOK);
    expect(maskSecrets(`{ g'ateway: { auth: { token: "${TOK}" } } }`)).not.toContain(TOK);
    expect(maskSecrets(`{ gateway: { auth: { 'token': "${TOK}" } } }`.replace('{ ', "{ '"))).not.toContain(TOK);
  });

  it('a comment opened before the key closes at a comment after it: the key the comment ends with masks the value after it', () => {
    expect(maskSecrets(`/*{ gateway: { auth: { token /* k */ : "${TOK}" } } }`)).not.toContain(TOK);
    expect(maskConfigLines(['{ // gateway:/* { auth: { token', `  : "${TOK}" } } }`]).join('\n')).not.toContain(TOK);
  });

  it('a stray character stuck to the key or inside its quotes is the key all the same', () => {
    expect(maskSecrets(`{ \\xtoken: "${TOK}" }`)).toBe(`{ \\xtoken: "${hidden(TOK)}" }`);
    expect(maskSecrets(`{ "[token": "${TOK}" }`)).toBe(`{ "[token": "${hidden(TOK)}" }`);
    expect(maskSecrets(`{ #token: "${TOK}" }`)).toBe(`{ #token: "${hidden(TOK)}" }`);
    // Only as a word of the name: "tokens" is no token.
    expect(maskSecrets('{ "tokens": 2, "my_token": 3 }')).toBe('{ "tokens": 2, "my_token": 3 }');
  });
});

describe('a secret hidden on one side of a diff is hidden on the other too (user pass: a comment keeping the old token)', () => {
  const OLD = 'Zq9xSECRETtokenVALUE1234567890ab';
  const NEW = 'Zq9xSECRETtokenVALUE1234567890ac';

  it('config set replacing a token a comment names', () => {
    const before = `{\n  // the token is ${OLD}\n  gateway: { auth: { token: "${OLD}" } },\n}\n`;
    const after = before.replace(`token: "${OLD}"`, `token: "${NEW}"`);
    const [b, a] = maskDiffSides(before, after);
    expect([...b, ...a].join('\n')).not.toContain(OLD);
    expect([...b, ...a].join('\n')).not.toContain(NEW);
    expect(a[1]).toBe(`  // the token is ${hidden(OLD)}`);
  });

  it('a rollback whose comment holds the token it restores', () => {
    const current = `{ gateway: { auth: { token: "${NEW}" } } } // previous token was ${OLD}\n`;
    const restored = `{ gateway: { auth: { token: "${OLD}" } } }\n`;
    const [c, r] = maskDiffSides(current, restored);
    expect(c[0]).toBe(`{ gateway: { auth: { token: "${hidden(NEW)}" } } } // previous token was ${hidden(OLD)}`);
    expect(r[0]).toBe(`{ gateway: { auth: { token: "${hidden(OLD)}" } } }`);
  });
});

describe('a token member broken beside its key (hostile pass: doctor showed it in clear)', () => {
  const TOKEN = 'TOKtok3nABCDEFGH1234567890xyzQQ';
  it('hides the member when a stray word stands between the key and its colon', () => {
    const shown = maskSecrets(`{ gateway: { port: 21789, auth: { token junk: "${TOKEN}" } } }`);
    expect(shown).not.toContain(TOKEN);
    expect(shown).toContain('port: 21789');
  });
  it('hides the member when "=" stands for its colon', () => {
    expect(maskSecrets(`auth: { token = "${TOKEN}", bind: "loopback" }`)).toBe(`auth: { token = "${hidden(TOKEN)}", bind: "loopback" }`);
  });
  it('hides what follows the value in the same member (a second copy, a "+")', () => {
    expect(maskSecrets(`auth: { token: "${TOKEN}" "${TOKEN}" }`)).not.toContain(TOKEN);
    expect(maskSecrets(`auth: { token: "SECRET" + "ABCDEF0123" }`)).toBe(`auth: { token: "${hidden('SECRET')}" + "${hidden('ABCDEF0123')}" }`);
  });
});

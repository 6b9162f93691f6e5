/**
 * A stray byte or word between two members of a valid config, at any depth, is what a tolerant
 * read loses, not the auth token: random configs holding a token (quoted, unquoted or escaped
 * keys, one line or many, extra members around every key), one insertion at a random place
 * between members. Seeded, bounded.
 */
import fc from 'fast-check';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { readTolerant } from '../../src/core/config/tolerant';

const SEED = Number(process.env.TOLERANT_SEED ?? 20261202);
const TOKEN = 'HzZC0123456789abcdefghijklmnopqr';

/** A member as written: its key and its value; a value that is an object is laid out with the rest. */
interface Member {
  key: string;
  value: string | Member[];
}

const scalar = fc.constantFrom('1', '20789', '-2.5', '"s"', "'it'", 'true', 'null', '[1, "two"]', '[]', '{}', '"a, b: {c}"');
const extraKey = fc.constantFrom('theme', '"name"', "'mode'", 'a1', '"x y"', '$x', 'ünï', 'n\\u00e9', '"port2"');
const extras = (depth: number): fc.Arbitrary<Member[]> =>
  fc.array(
    fc.record({ key: extraKey, value: depth === 0 ? scalar : fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: extras(depth - 1) }) }),
    { maxLength: 2 },
  );
/** Members with one of them placed among extras at a random place. */
const around = (member: fc.Arbitrary<Member>, depth: number) => fc.tuple(extras(depth), member, extras(depth)).map(([before, m, after]) => [...before, m, ...after]);

const tokenMember = fc.constantFrom('"token"', 'token', "'token'", 'tok\\u0065n', '"tok\\u0065n"').map((key): Member => ({ key, value: `"${TOKEN}"` }));
const auth = around(tokenMember, 1).chain((members) => fc.constantFrom('auth', '"auth"').map((key): Member => ({ key, value: members })));
const gateway = fc
  .tuple(around(auth, 1), fc.constantFrom('port', '"port"'))
  .map(([members, port]) => [{ key: port, value: '20789' }, ...members])
  .chain((members) => fc.constantFrom('gateway', '"gateway"').map((key): Member => ({ key, value: members })));
const config = around(gateway, 1);

/** The text, and every offset between two members (after "{" or ",", before a key, after a value, before "}"). */
function render(members: Member[], pretty: boolean, trailing: boolean): { text: string; slots: number[] } {
  let text = '';
  const slots: number[] = [];
  const slot = () => slots.push(text.length);
  const object = (ms: Member[], indent: string) => {
    text += '{';
    slot();
    ms.forEach((m, i) => {
      text += pretty ? `\n${indent}  ` : ' ';
      slot();
      text += `${m.key}: `;
      if (typeof m.value === 'string') text += m.value;
      else object(m.value, `${indent}  `);
      slot();
      if (i < ms.length - 1 || trailing) {
        text += ',';
        slot();
      }
    });
    text += pretty ? `\n${indent}` : ' ';
    slot();
    text += '}';
  };
  slot();
  object(members, '');
  slot();
  return { text, slots };
}

/** Bytes no name, string, number or bracket starts with; words set apart by spaces (glued to a name they would be part of it). */
const stray = fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\ufffd', '#', '@', '\\', '/', ';', '=', '|', '~', '`', '%', '&', '?', '<', '>', '!', '^', '*', '-', '+', '.', ' oops ', ' TODO ', ' null ', ' x ', ' "stray" ');

describe('readTolerant (property): one stray byte or word between members', () => {
  it('still recovers the auth token, wherever between members it stands and at whatever depth', () => {
    const sample = fc.tuple(config, fc.boolean(), fc.boolean()).chain(([members, pretty, trailing]) => {
      const { text, slots } = render(members, pretty, trailing);
      return fc.tuple(fc.constant(text), fc.constantFrom(...slots), stray);
    });
    fc.assert(
      fc.property(sample, ([text, at, bit]) => {
        // The config before the insertion is valid and holds the token.
        expect((JSON5.parse(text) as { gateway: { auth: { token: string } } }).gateway.auth.token).toBe(TOKEN);
        const broken = text.slice(0, at) + bit + text.slice(at);
        const read = readTolerant(broken);
        expect((read.raw.gateway as { auth?: { token?: unknown } } | undefined)?.auth?.token, broken).toBe(TOKEN);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

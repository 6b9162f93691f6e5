/**
 * A broken file is masked over the same tokens as a good one (tokenizeForDisplay): whatever
 * is cut out of a config or stuck into it, its auth token never shows. Random configs (JSON
 * or JSON5 layout, the token on its key's line or the next, comments, other keys, command
 * sinks), then one corruption: cut short, or a stray character or quote stuck in. Seeded, bounded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskConfigLines } from '../../src/core/config/secrets';

const SEED = Number(process.env.MASK_SEED ?? 20261202);

/** A token of 8 characters or more that no other part of the config holds (the other words are lower case). */
const token = fc.stringMatching(/^[A-Z0-9][A-Za-z0-9_-]{7,40}$/).filter((t) => /[A-Z]/.test(t) && /[0-9]/.test(t));
const key = (name: string) => fc.constantFrom(name, `"${name}"`, `'${name}'`);
const gap = fc.constantFrom(' ', '', '\n  ', ' /* c */ ', ' // note\n  ', '\n\n    ');
const quote = fc.constantFrom('"', "'");
const other = fc.constantFrom('port: 18789', '"bind": "loopback"', "mode: 'lan'", 'watch: { profiles: ["work", "home"] }', 'alerts: [{ type: "command", command: ["pager", "--now"] }]', '// a comment', '/* block */');

const config = fc
  .record({
    t: token,
    tokenKey: key('token'),
    beforeColon: fc.constantFrom('', ' ', '\n  ', ' /* k */ '),
    afterColon: gap,
    q: quote,
    others: fc.array(other, { maxLength: 3 }),
    spread: fc.boolean(),
    trailing: fc.boolean(),
  })
  .map(({ t, tokenKey, beforeColon, afterColon, q, others, spread, trailing }) => {
    const nl = spread ? '\n' : ' ';
    const member = `${tokenKey}${beforeColon}:${afterColon}${q}${t}${q}`;
    const auth = `auth: {${nl}${member}${trailing ? ',' : ''}${nl}}`;
    const text = `{${nl}${[...others, `gateway: {${nl}${auth}${nl}}`].join(`,${nl}`)}${nl}}`;
    return { t, text, member: { from: text.indexOf(member), to: text.indexOf(member) + member.length } };
  });

/** A file cut short at a random point, or a stray character or quote stuck in at one. */
const corruption = fc.record({
  at: fc.nat(),
  cut: fc.boolean(),
  insert: fc.constantFrom('"', "'", '`', '#', '@', '=', ';', '\\', '\\x', '/*', '//', '\n', '-', '0x', '1e', '*', '/', '~'),
});

describe('masking a broken config (property)', () => {
  it('the token never shows, whatever one corruption did to the text around its key and value', () => {
    fc.assert(
      fc.property(config, corruption, ({ t, text, member }, { at, cut, insert }) => {
        // Anywhere but from the key to the end of its value: a stray character there may change
        // which word is the value (a comment between them broken into words).
        const i = at % (text.length + 1);
        fc.pre(i <= member.from || i >= member.to);
        const broken = cut ? text.slice(0, i) : text.slice(0, i) + insert + text.slice(i);
        // A file cut short before its token's end holds no token.
        fc.pre(broken.includes(t));
        expect(maskConfigLines(broken.split('\n')).join('\n')).not.toContain(t);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

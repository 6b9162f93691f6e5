import fc from 'fast-check';
import JSON5 from 'json5';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { editConfig } from '../../src/core/config/edit';
import { setAtPath, unsetAtPath, type KeyPath } from '../../src/core/config/keypath';
import { parseSyntax, type SyntaxDoc, type SyntaxNode } from '../../src/core/config/syntax';
import { UsageError } from '../../src/core/errors';
import { CORPUS, expectCommentsKept } from './corpus';
import { runs } from '../helpers/runs';

type Raw = Record<string, unknown>;

/** Every path in a value: containers and leaves. */
function pathsOf(value: unknown, prefix: KeyPath = []): { path: KeyPath; leaf: boolean }[] {
  if (Array.isArray(value)) return [{ path: prefix, leaf: false }, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (value !== null && typeof value === 'object') return [{ path: prefix, leaf: false }, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return [{ path: prefix, leaf: true }];
}

/** The source text of the value at a path (the last of equal keys, as JSON5 reads). */
function literalAt(doc: SyntaxDoc, path: KeyPath): string | undefined {
  let node: SyntaxNode | undefined = doc.root;
  for (const key of path) {
    if (node === undefined || node.kind === 'scalar') return undefined;
    node = typeof key === 'number' ? node.members[key]?.value : node.members.filter((m) => m.key === key).at(-1)?.value;
  }
  return node?.kind === 'scalar' ? doc.tokens.text(node.first) : undefined;
}

const NEW_PATHS: KeyPath[] = [
  ['gateway', 'port'],
  ['gateway', 'bind'],
  ['gateway', 'extra'],
  ['brand', 'new', 'deep'],
  ['watch', 'profiles'],
  ['watch', 'profiles', 0],
  ['watch', 'profiles', 1],
  ['agents', 'defaults', 'workspace'],
  ['z'],
];

const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('it\'s "quoted"', 'ünï 🚀', 'line\nbreak', 'tab\t\\', 'x\u2028y', '// not a comment', '/* nor this */'),
  fc.integer({ min: -70000, max: 70000 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1.5, 1e21),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.stringMatching(/^[a-z$_ .-]{1,6}$/), scalar, { maxKeys: 3 }).map((d) => ({ ...d })) },
);
const op = fc.record({ unset: fc.boolean(), pick: fc.nat(), value });

describe('config set / unset as lossless edits (property)', () => {
  it('random sequences on random corpus files keep every comment and untouched value, and read back as intended', () => {
    fc.assert(
      fc.property(fc.nat({ max: CORPUS.length - 1 }), fc.array(op, { minLength: 1, maxLength: 8 }), (fileIndex, ops) => {
        const file = CORPUS[fileIndex]!;
        const original = parseSyntax(file.text)!;
        let model = JSON5.parse(file.text) as Raw;
        let text = file.text;
        const touched: KeyPath[] = [];
        for (const { unset, pick, value: v } of ops) {
          const pool = [...pathsOf(model).map((p) => p.path).filter((p) => p.length > 0), ...NEW_PATHS];
          const path = pool[pick % pool.length]!;
          let next: Raw | null;
          try {
            next = unset ? unsetAtPath(model, path) : setAtPath(model, path, v);
          } catch (error) {
            if (error instanceof UsageError) continue; // a path through a scalar: refused, as config set refuses it
            throw error;
          }
          if (next === null) continue;
          // Removing a list item moves the ones after it: the whole list counts as touched.
          touched.push(unset && typeof path.at(-1) === 'number' ? path.slice(0, -1) : path);
          model = next;
          const edited = editConfig(text, model);
          expect(edited.outcome, 'an edit, not a fresh file').toBe('edited');
          text = edited.text;
          expect(isDeepStrictEqual(JSON5.parse(text), model), `reads back as intended:\n${text}`).toBe(true);
          expectCommentsKept(file.text, text);
        }
        if (file.text.includes('\r\n')) expect(/(^|[^\r])\n/.test(text)).toBe(false);
        expect(text.startsWith('\ufeff')).toBe(file.text.startsWith('\ufeff'));
        const now = parseSyntax(text)!;
        const related = (a: KeyPath, b: KeyPath) => a.every((k, i) => i >= b.length || b[i] === k) || b.every((k, i) => i >= a.length || a[i] === k);
        for (const { path, leaf } of pathsOf(JSON5.parse(file.text))) {
          if (!leaf || touched.some((t) => related(t, path))) continue;
          expect(literalAt(now, path), `untouched ${path.join('.')} keeps its bytes`).toBe(literalAt(original, path));
        }
      }),
      { seed: Number(process.env.EDIT_SEED ?? 20261130), numRuns: runs(Number(process.env.EDIT_RUNS ?? 300)) },
    );
  });
});

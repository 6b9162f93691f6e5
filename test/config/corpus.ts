/** The hand-written configs of fixtures/corpus/ and the checks every lossless edit must pass. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

export const CORPUS_DIR = path.join(import.meta.dirname, 'fixtures', 'corpus');

export interface CorpusFile {
  name: string;
  text: string;
}

export const CORPUS: CorpusFile[] = readdirSync(CORPUS_DIR)
  .filter((name) => name.endsWith('.json5'))
  .sort()
  .map((name) => ({ name, text: readFileSync(path.join(CORPUS_DIR, name), 'utf8') }));

/** How each corpus file writes gateway.port (all mean 18789). */
export function portLiteral(file: CorpusFile): string {
  return file.name.startsWith('07-') ? '0x4965' : '18789';
}

/**
 * Every comment of a JSON5 text, found by a scanner of its own (not the one under test):
 * it skips strings in either quotes, with escapes.
 */
export function commentsOf(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      let j = i;
      while (j < text.length && !'\n\r\u2028\u2029'.includes(text[j]!)) j++;
      out.push(text.slice(i, j));
      i = j - 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const j = text.indexOf('*/', i + 2) + 2;
      out.push(text.slice(i, j));
      i = j - 1;
    }
  }
  return out;
}

/** Every comment of `before` is in `after`, as often as it was. */
export function expectCommentsKept(before: string, after: string): void {
  const left = commentsOf(after);
  const lost: string[] = [];
  for (const comment of commentsOf(before)) {
    const at = left.indexOf(comment);
    if (at < 0) lost.push(comment);
    else left.splice(at, 1);
  }
  expect(lost, 'comments lost').toEqual([]);
}

/**
 * `after` is `before` with exactly one occurrence of `from` replaced by `to`: the bytes
 * outside that span are untouched.
 */
export function expectOnlyReplaced(before: string, after: string, from: string, to: string): void {
  const matches: number[] = [];
  for (let at = before.indexOf(from); at >= 0; at = before.indexOf(from, at + 1)) {
    if (before.slice(0, at) + to + before.slice(at + from.length) === after) matches.push(at);
  }
  expect(matches.length, `exactly one ${from} → ${to}, nothing else changed:\n${after}`).toBe(1);
}

/** `list` is a fast command: its chunk and everything it imports statically hold no Ink, React or yoga (only `top` and `onboard` load them). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli';

const CHUNKS = path.join(REPO, 'dist', 'chunks');

/** The chunk files loaded with `start`: its static imports, transitively (an `import(` is lazy and not followed). */
function staticClosure(start: string): string[] {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length > 0 && seen.size < 500) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(path.join(CHUNKS, file), 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) todo.push(m[1]!);
  }
  return [...seen];
}

describe('list loads no Ink', () => {
  it('neither the list chunk nor what it imports holds yoga, while top\'s screen does', () => {
    const names = readdirSync(CHUNKS);
    const chunkOf = (command: string) => names.find((n) => n.startsWith(`${command}-`))!;
    const hasInk = (file: string) => /yoga-layout|useInput/.test(readFileSync(path.join(CHUNKS, file), 'utf8'));
    const list = staticClosure(chunkOf('list'));
    expect(list.length).toBeGreaterThan(1);
    expect(list.filter(hasInk)).toEqual([]);
    // The check can fail: the screen's own chunk (components/top/run) does pull Ink in.
    const screens = names.filter((n) => n.startsWith('run-')).map(staticClosure);
    expect(screens.some((closure) => closure.some(hasInk))).toBe(true);
  });
});

describe('the watch section loads its checks only when no gateway watches', () => {
  it("watchSection's chunk and its static imports hold no checkProfile; the one-off check's chunk does", () => {
    const names = readdirSync(CHUNKS);
    const defines = (fn: string) => (file: string) => new RegExp(`function ${fn}\\(`).test(readFileSync(path.join(CHUNKS, file), 'utf8'));
    const section = names.filter(defines('watchSection'));
    const oneOff = names.filter(defines('checkNow'));
    expect([section.length, oneOff.length]).toEqual([1, 1]);
    // While the rescue's gateway answers, list and status read its /health and need none of the checks.
    expect(staticClosure(section[0]!).filter(defines('checkProfile'))).toEqual([]);
    expect(staticClosure(oneOff[0]!).filter(defines('checkProfile'))).toHaveLength(1);
  });
});

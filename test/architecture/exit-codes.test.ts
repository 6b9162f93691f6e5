import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, exitFor } from '../../src/core/errors';

const root = path.resolve(import.meta.dirname, '../..');

/** Where exit codes are decided: the CLI entry, the commands, the wizard's reducer and front-ends. */
const PLACES = ['src/cli.ts', 'src/commands', 'src/ui', 'src/core/wizard', 'components'];

/** An exit code written as a number instead of a name from EXIT. */
const LITERAL = [/\breturn\s+\d+\s*;/, /\breturn\b[^;]*\?\s*\d+\s*:\s*\d+\s*;/, /\bcode:\s*[^,}]*\b\d+\b/, /\bexitCode\s*=\s*\d+/, /\bcode\s*=\s*\d+/, /process\.exit\(\s*[^)]*\b\d+\s*\)/, /code\s*===\s*\d+/];

function sources(place: string): string[] {
  const full = path.join(root, place);
  if (full.endsWith('.ts') || full.endsWith('.tsx')) return [full];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => path.join(full, f));
}

/** "file:line: text" for every line that writes an exit code as a number. */
function literalExits(files: readonly string[]): string[] {
  return files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (LITERAL.some((re) => re.test(line)) ? [`${path.relative(root, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('exit codes', () => {
  it('are named in one table, with the bug code among them', () => {
    expect(EXIT).toEqual({ ok: 0, unhealthy: 1, usage: 2, alreadyRunning: 3, internal: 70, cancelled: 130 });
    expect([exitFor(true), exitFor(false)]).toEqual([EXIT.ok, EXIT.unhealthy]);
  });

  it('are never written as numbers where commands, the CLI and the wizard decide them', () => {
    const files = PLACES.flatMap(sources);
    expect(files.length).toBeGreaterThan(30);
    expect(literalExits(files)).toEqual([]);
  });

  it('the check itself finds a literal exit code', () => {
    const fixture = path.join(import.meta.dirname, 'fixtures', 'literal-exit.ts');
    expect(literalExits([fixture])).toHaveLength(4);
  });
});

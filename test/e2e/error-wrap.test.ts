/**
 * An error that ends a command, on a terminal: wrapped between words at the terminal's width,
 * so a command named in it is never cut mid-word (the README's promise for every line).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/home';
import { Terminal } from './pty';

const terminals: Terminal[] = [];
afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
});

describe('an error on a terminal', () => {
  it('at 60 and 80 columns: every line fits, and every word of the message is whole on one line', async () => {
    const { env } = await tempHome();
    for (const cols of [60, 80]) {
      const term = new Terminal(['--profile', 'main', 'watch', 'tset'], { env, cols });
      terminals.push(term);
      expect(await term.exit()).toBe(2);
      const lines = term.raw.replace(/\r/g, '').split('\n').filter((l) => l !== '');
      expect(lines.length).toBeGreaterThan(1);
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(cols);
      // Lines joined by a space read as the message did: no word was cut in two.
      expect(lines.join(' ')).toBe('epiloop: unknown command "watch tset". Did you mean "watch test"? Use one of: epiloop watch test.');
    }
  }, 30_000);
});

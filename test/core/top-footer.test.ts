import { describe, expect, it } from 'vitest';
import { footerLines } from '../../src/core/top/footer';

const repair = 'The config of profile "main" is broken. Repair it with "epiloop --profile main doctor --fix".';
const refusal = ['✘ main: refused in 3 ms: ~/c.json: agents.list[0].model is 42, but must be a model name', ...Array.from({ length: 10 }, (_, i) => `~/c.json: agents.list[${i + 1}].model is 42, but must be a model name`), repair].join('\n');

describe("footerLines (an outcome in the footer's room)", () => {
  it('wraps a message that fits as one sentence, each line break a space, continuations 2 columns in', () => {
    expect(footerLines('✔ main: stopped\n  pid 4242 exited', 60, 5)).toEqual(['✔ main: stopped pid 4242 exited']);
    expect(footerLines('✔ main: stopped in 80 ms: and the gateway exited', 30, 5)).toEqual(['✔ main: stopped in 80 ms: and', '  the gateway exited']);
  });

  it('too tall, keeps its first line, says how many lines it leaves out, and keeps its last (the repair advice) whole', () => {
    for (const [width, room] of [[60, 12], [60, 6], [80, 4], [40, 8]] as const) {
      const lines = footerLines(refusal, width, room);
      expect(lines.length, `${width}×${room}: ${lines.join('\n')}`).toBeLessThanOrEqual(room);
      // The first line, cut, runs on past the edge (the terminal cuts it there); the rest is whole.
      for (const line of lines.slice(lines.indexOf('  … 10 more lines'))) expect(line.length).toBeLessThanOrEqual(width);
      expect(lines[0]).toMatch(/^✘ main: refused in 3 ms:/);
      expect(lines).toContain('  … 10 more lines');
      expect(lines.slice(lines.indexOf('  … 10 more lines') + 1).join(' ').replace(/\s+/g, ' ').trim()).toBe(repair);
    }
  });

  it('with less room than that, is cut at its last line as before', () => {
    const lines = footerLines(refusal, 60, 2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^✘ main: refused in 3 ms:/);
  });
});

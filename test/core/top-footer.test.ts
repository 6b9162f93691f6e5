import { describe, expect, it } from 'vitest';
import { footerLines } from '../../src/core/top/footer';

const repair = 'The config of profile "main" is broken. Repair it with "epiloop --profile main doctor --fix".';
const refusal = ['✘ main: refused in 3 ms: ~/c.json: agents.list[0].model is 42, but must be a model name', ...Array.from({ length: 10 }, (_, i) => `~/c.json: agents.list[${i + 1}].model is 42, but must be a model name`), repair].join('\n');

describe("footerLines (an outcome in the footer's room)", () => {
  it('wraps a message that fits on its lines, continuations 2 columns in', () => {
    expect(footerLines('✔ main: stopped\n  pid 4242 exited', 60, 5)).toEqual(['✔ main: stopped; pid 4242 exited']);
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

  it('with less room than that, is cut at its last line as before, between words, "…" saying there is more', () => {
    const lines = footerLines(refusal, 60, 2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^✘ main: refused in 3 ms:/);
    for (const width of [40, 60]) {
      const cut = footerLines(refusal, width, 3);
      for (const line of cut) expect(line.length, cut.join('\n')).toBeLessThanOrEqual(width);
      // "… agents.list[1].model is 42, but…", never "… the gatewa…".
      expect(cut.at(-1), cut.join('\n')).toMatch(/[^ ]…$/);
      const kept = cut.at(-1)!.slice(0, -1).trim().split(' ').at(-1)!;
      expect(refusal.split(/\s+/).map((w) => w.replace(/[,:;]$/, '')), cut.join('\n')).toContain(kept);
    }
  });

  it('ends each line of a message as a sentence where the line has no punctuation of its own: "." before a capital, ";" before the rest', () => {
    const start = 'the gateway of profile "lab" cannot start:\n  port 20789 is held by pid 99 on 127.0.0.1\nNothing was bound. Fix: stop that process.';
    expect(footerLines(start, 200, 5)).toEqual(['the gateway of profile "lab" cannot start: port 20789 is held by pid 99 on 127.0.0.1. Nothing was bound. Fix: stop that process.']);
    const bind = 'cannot start:\n  port 18789 (gateway): 10.9.9.9 is not an address of this host (gateway.bind)\n  port 18791 (browser control): 10.9.9.9 is not an address of this host (gateway.bind)';
    expect(footerLines(bind, 200, 5)[0]).toContain('(gateway.bind); port 18791 (browser control):');
    expect(footerLines('~/c.json:\n  gateway.port is 99999, but must be a port whose footprint fits below 65536\nThe config of profile "main" is broken.', 200, 5)[0]).toContain('fits below 65536. The config of profile');
  });
});

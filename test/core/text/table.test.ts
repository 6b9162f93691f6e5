import { describe, expect, it } from 'vitest';
import { fitTable, tableLines } from '../../../src/core/text/table';

const ROWS = [
  ['PROFILE', 'BASE', 'GATEWAY', 'CDP', 'LIVE'],
  ['main', '18789', '18789', '18800–18899', 'gateway up, pid 4242; 2 ports held by others'],
  ['rescue', '19789', '19789', '19800–19899', 'gateway stopped'],
];

describe('tableLines: a table narrows in a stated order and keeps its state words whole', () => {
  it('is padded columns when it fits', () => {
    expect(tableLines(ROWS, 200)).toEqual([
      '  PROFILE  BASE   GATEWAY  CDP          LIVE',
      '  main     18789  18789    18800–18899  gateway up, pid 4242; 2 ports held by others',
      '  rescue   19789  19789    19800–19899  gateway stopped',
    ]);
  });

  it('keeps its two-space gaps, drops columns in the order given, then wraps the last column under itself; the indent stays while the last column keeps its room', () => {
    const lines = tableLines(ROWS, 50, { drop: [2, 3], minLast: 30 });
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(50);
    expect(lines[0]).toBe('  PROFILE  BASE   LIVE');
    expect(lines.join('\n')).toContain('gateway up, pid 4242; 2 ports held by others'.slice(0, 20));
    const words = lines.slice(1).map((l) => l.slice(18)).join(' ').replace(/ +/g, ' ');
    expect(words).toContain('gateway up, pid 4242; 2 ports held by others');
    expect(words).toContain('gateway stopped');
  });

  it('keeps columns two spaces apart at every width, whatever the table: a column goes or the last wraps rather than a gap narrowing to one ("no answer not installed" reads as one phrase)', () => {
    const rows = [
      ['PROFILE', 'GATEWAY', 'SERVICE', 'BACKUP'],
      ['main', 'degraded · pid 4242 · no answer', 'not installed', 'never'],
    ];
    const portMap = [
      ['PORT', 'ROLE', 'STATE'],
      ['18791', 'browser control', 'this gateway'],
    ];
    for (let width = 20; width <= 80; width++) {
      for (const [table, fit] of [[rows, { indent: 0, drop: [2], minLast: 7 }], [rows, {}], [ROWS, { drop: [2, 3], minLast: 30 }], [ROWS, {}], [portMap, {}]] as const) {
        expect(fitTable(table, width, fit).gap, `${width} columns`).toBe('  ');
      }
      expect(tableLines(rows, width, { indent: 0, drop: [2], minLast: 7 }).join('\n'), `${width} columns`).not.toContain('no answer not installed');
      expect(tableLines(portMap, width).join('\n'), `${width} columns`).not.toContain('control this');
    }
  });

  it('keeps its indent at 60 columns under an indented line (status\'s Watching table, the port map in top): the last column wraps first', () => {
    const watching = [
      ['PROFILE', 'STATE', 'SINCE', 'FINDING'],
      ['main', 'down', 'for 5m', 'gateway did not answer on 127.0.0.1:18789: connection refused'],
    ];
    const lines = tableLines(watching, 60);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    expect(lines[0]).toMatch(/^ {2}PROFILE {2}STATE {2}SINCE {3}FINDING$/);
    expect(lines[1]).toMatch(/^ {2}main {5}down {3}for 5m {2}gateway/);
    const portMap = [
      ['PORT', 'ROLE', 'STATE'],
      ['20789', 'gateway', 'bound by pid 99 (python3) on 0.0.0.0, not a gateway of this host'],
    ];
    expect(tableLines(portMap, 60).every((l) => l.startsWith('  '))).toBe(true);
  });

  it('gives up its indent before a column, and where the last column would have less than its minimum', () => {
    // With the indent GATEWAY would go (14 columns left for LIVE); without it, it stays.
    expect(tableLines(ROWS, 54, { drop: [2, 3], minLast: 15 })[0]).toBe('PROFILE  BASE   GATEWAY  CDP          LIVE');
    expect(tableLines([['A', 'B'], ['a'.repeat(30), 'one two three four']], 44, { minLast: 12 })[0]).toMatch(/^A/);
  });

  it('wraps the last column when nothing may go, never past the width', () => {
    const lines = tableLines(ROWS, 40);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
    expect(lines.some((l) => l.endsWith('…'))).toBe(false);
  });
});

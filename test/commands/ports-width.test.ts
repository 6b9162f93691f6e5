/** `epiloop ports` at 80 columns: every line fits, so no column wraps under the next row. */
import { mkdir, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/ui/context';
import type { Output } from '../../src/ui/output';
import { resolveProfile } from '../../src/core/profile/paths';
import { run as ports } from '../../src/commands/ports';
import { tempHome } from '../helpers/home';
import { freeBase } from '../helpers/ports';

function capture(columns: number): { out: Output; lines: string[] } {
  const lines: string[] = [];
  const plain = (text: string) => text;
  const out: Output = { color: false, isTTY: true, columns, line: (text = '') => lines.push(text), error: (text) => lines.push(text), bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain, json: () => undefined, jsonLine: () => undefined };
  return { out, lines };
}

describe('ports at 80 and 60 columns', () => {
  it('fits every line of the table into the terminal, and still names each config', async () => {
    const { home } = await tempHome();
    // Free bases, not 18789/19789: a gateway running on this host there would lengthen the LIVE column.
    for (const [name, base] of [['main', await freeBase()], ['rescue', await freeBase()]] as const) {
      const paths = resolveProfile({ flag: name, env: {}, home });
      await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
      await writeFile(paths.configPath, JSON.stringify({ gateway: { port: base, auth: { token: 'a-token-of-more-than-16-chars' } } }), { mode: 0o600 });
    }
    for (const columns of [80, 60]) {
      const { out, lines } = capture(columns);
      const ctx = { flags: {}, positionals: [], paths: resolveProfile({ flag: undefined, env: {}, home }), env: {}, home, out, invocation: 'epiloop' } as unknown as CommandContext;
      await ports(ctx);
      expect(lines.filter((l) => l.length > columns)).toEqual([]);
      // Two spaces between the columns, as list keeps them: "PROFILE BASE" would read as one heading.
      expect(lines.find((l) => l.startsWith('PROFILE') || l.startsWith('  PROFILE')), `${columns} columns`).toMatch(/^ *PROFILE {2,}BASE {2,}/);
      if (columns === 80) {
        expect(lines.join('\n')).toContain('~/.epiloop-main/epiloop.json');
        expect(lines.join('\n')).toContain('~/.epiloop-rescue/epiloop.json');
      }
    }
  });
});

describe('ports on broken configs', () => {
  it('says a config that parses but breaks the rules is invalid, and one that does not parse cannot be read', async () => {
    const { home } = await tempHome();
    for (const [name, text] of [['main', `{ gateway: { port: ${await freeBase()}, bind: 5 } }`], ['lab', '{ gateway: { port: 19789']] as const) {
      const paths = resolveProfile({ flag: name, env: {}, home });
      await mkdir(paths.stateDir, { recursive: true, mode: 0o700 });
      await writeFile(paths.configPath, text, { mode: 0o600 });
    }
    const { out, lines } = capture(200);
    const ctx = { flags: {}, positionals: [], paths: resolveProfile({ flag: undefined, env: {}, home }), env: {}, home, out, invocation: 'epiloop' } as unknown as CommandContext;
    await ports(ctx);
    expect(lines.filter((l) => l.startsWith('✖'))).toEqual([
      '✖ lab: config at ~/.epiloop-lab/epiloop.json cannot be read; see "epiloop --profile lab status".',
      '✖ main: config at ~/.epiloop-main/epiloop.json is invalid; see "epiloop --profile main status".',
    ]);
  });
});

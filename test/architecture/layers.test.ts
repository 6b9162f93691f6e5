import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { cruise, type ICruiseResult } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const config = require(path.join(root, '.dependency-cruiser.cjs')) as { forbidden: unknown[] };

/** The violations found in baseDir; throws when too few modules were read (a check that read nothing proves nothing). */
async function violations(baseDir: string, targets: string[], atLeast: number): Promise<string[]> {
  const result = await cruise(targets, { validate: true, ruleSet: { forbidden: config.forbidden } as never, baseDir, tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' } }, { extensions: ['.ts', '.tsx', '.js'] });
  const output = result.output as ICruiseResult;
  expect(output.summary.totalCruised).toBeGreaterThanOrEqual(atLeast);
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

describe('the layer rules', () => {
  it('refuse a core module that imports the host layer, and a cycle', async () => {
    const found = await violations(path.join(import.meta.dirname, 'fixtures'), ['src'], 4);
    expect(found).toContain('core-is-pure: src/core/climbs.ts → src/host/snapshot.ts');
    expect(found.some((v) => v.startsWith('no-cycles: src/host/'))).toBe(true);
    expect(found.some((v) => v.includes('src/commands/fine.ts'))).toBe(false);
  });

  it('hold for the product: src and components have no violation', async () => {
    expect(await violations(root, ['src', 'components'], 100)).toEqual([]);
  }, 30_000);
});

/**
 * Start-up cost: what a fast command initialises. dist/main.js holds every module, but
 * initialises one only when a module that imports it statically is (scripts/build.mjs), so a
 * command's static import closure is what it pays for.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGraph, staticClosure } from '../helpers/graph';
import { runCli } from '../helpers/cli';

let inputs: Metafile['inputs'];
beforeAll(async () => {
  inputs = await importGraph();
}, 60_000);

const closure = (file: string) => [...staticClosure(inputs, file)];

describe('list loads no Ink', () => {
  it('neither list nor what it imports needs Ink or React, while top\'s screen does', () => {
    const ink = (file: string) => file === 'ink' || file === 'react' || file.startsWith('components/');
    expect(closure('src/commands/list.ts').filter(ink)).toEqual([]);
    // The check can fail: the screen's own module does pull Ink in.
    expect(closure('components/top/run.tsx')).toContain('ink');
  });

  let home: string;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'epiloop-loads-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('a run of list compiles dist/main.js and never dist/ui.js (the compile cache names what was loaded)', async () => {
    const env = { HOME: home, TMPDIR: home, NO_COLOR: '1', PATH: process.env.PATH ?? '' };
    const listed = await runCli(['list'], { env });
    expect(listed.code, listed.stderr).toBe(0);
    const cached = readdirSync(path.join(home, `epiloop-v8-cache-${process.getuid?.() ?? 0}`));
    expect(cached.filter((f) => f.startsWith('main.js.'))).toHaveLength(1);
    expect(cached.filter((f) => f.startsWith('ui.js.'))).toEqual([]);
  });
});

describe('the watch section loads its checks only when no gateway watches', () => {
  it("watchSection's module and its static imports hold no check; the one-off check's module does", () => {
    // While the rescue's gateway answers, list and status read its /health and need none of the checks.
    expect(closure('src/host/watch/status.ts')).not.toContain('src/host/watch/check.ts');
    expect(closure('src/host/watch/check-now.ts')).toContain('src/host/watch/check.ts');
  });
});

describe('start-up cost', () => {
  it('status and the CLI itself never load the config editor or the schema writer', () => {
    // The check can see a module: status does load the config reader.
    expect(closure('src/commands/status.ts')).toContain('src/host/store/store.ts');
    for (const entry of ['src/cli.ts', 'src/commands/registry.ts', 'src/commands/status.ts']) {
      expect(closure(entry), entry).not.toContain('src/core/config/edit.ts');
      expect(closure(entry), entry).not.toContain('src/core/config/json-schema.ts');
    }
  });

  it('--version alone is answered by dist/cli.js, which holds none of epiloop but the loader', () => {
    // '<runtime>' is esbuild's own helper code (entry.ts hands its CommonJS `require` to the loader).
    expect(closure('src/entry.ts').filter((f) => !f.startsWith('node:') && f !== '<runtime>').sort()).toEqual(['src/entry.ts', 'src/host/bundle.ts']);
  });
});

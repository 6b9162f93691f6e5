import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtAt, sourceFiles, staleBecause } from './build';

describe('staleBecause', () => {
  const sources = [
    { path: 'src/cli.ts', mtimeMs: 1000 },
    { path: 'components/App.tsx', mtimeMs: 2000 },
  ];

  it('is stale when nothing was built', () => {
    expect(staleBecause(null, sources)).toBe('dist/cli.js does not exist');
    expect(staleBecause(null, [])).toBe('dist/cli.js does not exist');
  });

  it('is stale when a source is newer than the build, naming it', () => {
    expect(staleBecause(1500, sources)).toBe('components/App.tsx is newer than dist/cli.js');
    expect(staleBecause(999, sources)).toBe('src/cli.ts is newer than dist/cli.js');
  });

  it('is up to date when every source is as old as the build or older', () => {
    expect(staleBecause(2000, sources)).toBeNull();
    expect(staleBecause(5000, sources)).toBeNull();
    expect(staleBecause(0, [])).toBeNull();
  });
});

describe('sourceFiles and builtAt', () => {
  it('list every file under the inputs with its mtime, and read the build time from dist/cli.js', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'epiloop-build-'));
    try {
      await mkdir(path.join(root, 'src', 'deep'), { recursive: true });
      await writeFile(path.join(root, 'src', 'deep', 'a.ts'), '');
      await writeFile(path.join(root, 'src', 'b.ts'), '');
      await mkdir(path.join(root, 'scripts'));
      await writeFile(path.join(root, 'scripts', 'build.mjs'), '');
      await utimes(path.join(root, 'src', 'b.ts'), 100, 100);
      const files = [...sourceFiles(root)].sort((x, y) => x.path.localeCompare(y.path));
      expect(files.map((f) => f.path)).toEqual(['scripts/build.mjs', 'src/b.ts', 'src/deep/a.ts']);
      expect(files[1]!.mtimeMs).toBe(100_000);
      expect(builtAt(root)).toBeNull();
      await mkdir(path.join(root, 'dist'));
      await writeFile(path.join(root, 'dist', 'cli.js'), '');
      await utimes(path.join(root, 'dist', 'cli.js'), 200, 200);
      expect(builtAt(root)).toBe(200_000);
      expect(staleBecause(builtAt(root), [files[1]!])).toBeNull();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

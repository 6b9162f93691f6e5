import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeConfig } from '../../src/host/store/store';
import { serializeConfig } from '../../src/core/config/parse';
import { tempHome } from '../helpers/home';
import { recordingFs, type FsOp } from './fixtures/recording-fs';

async function profileIn(): Promise<{ stateDir: string; configPath: string; home: string }> {
  const { home } = await tempHome();
  const stateDir = path.join(home, '.epiloop-rescue');
  return { stateDir, configPath: path.join(stateDir, 'epiloop.json'), home };
}

/** The ops of one atomic write of `file` through `temp`, in the only order that is crash-safe. */
function atomicWrite(file: string, temp: string): FsOp[] {
  const dir = path.dirname(file);
  return [
    { op: 'open', path: temp, flags: 'wx' },
    { op: 'write', path: temp },
    { op: 'chmod', path: temp },
    { op: 'sync', path: temp },
    { op: 'close', path: temp },
    { op: 'rename', path: temp, to: file },
    { op: 'open', path: dir, flags: 'r' },
    { op: 'sync', path: dir },
    { op: 'close', path: dir },
  ];
}

describe("the store's write sequence", () => {
  it('opens a new temp beside the config, writes, fsyncs, renames it over the config, then fsyncs the directory', async () => {
    const paths = await profileIn();
    for (const version of [1, 2]) {
      const recorder = recordingFs();
      await writeConfig(paths, { version }, { fs: recorder.fs });
      const temp = recorder.ops[0]!.path;
      expect(path.dirname(temp)).toBe(paths.stateDir);
      expect(temp).not.toBe(paths.configPath);
      expect(recorder.ops).toEqual(atomicWrite(paths.configPath, temp));
      expect(await readFile(paths.configPath, 'utf8')).toBe(serializeConfig({ version }));
    }
  });

  it('writes nothing through the seam when the content is unchanged', async () => {
    const paths = await profileIn();
    await writeConfig(paths, { version: 1 });
    const recorder = recordingFs();
    await writeConfig(paths, { version: 1 }, { fs: recorder.fs });
    expect(recorder.ops).toEqual([]);
  });
});

import { chmod, mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRacy, lookAt, RACY_MS, signatureOf } from '../../src/host/store/signature';
import { discoveryStamp } from '../../src/host/top/stamp';
import { tempHome } from '../helpers/home';

const sig = (file: string) => {
  const seen = lookAt(file);
  return seen === null ? null : signatureOf(seen.self);
};

describe('one signature of a file (the watcher memo and top\'s stamp)', () => {
  it('changes with the content, the mode, the kind and a replacement by rename, and not with a read', async () => {
    const { home } = await tempHome();
    const file = path.join(home, 'epiloop.json');
    await writeFile(file, '{"a":1}');
    const first = sig(file);
    expect(sig(file)).toBe(first);
    await chmod(file, 0o600);
    const moded = sig(file);
    expect(moded).not.toBe(first);
    await writeFile(file, '{"a":2}');
    expect(sig(file)).not.toBe(moded);
    await rm(file);
    expect(sig(file)).toBeNull();
    await mkdir(file);
    expect(sig(file)).toMatch(/^dir:/);
  });

  it('a symlink is itself; its target is looked at too, and a dangling one says so', async () => {
    const { home } = await tempHome();
    const target = path.join(home, 'target.json');
    const link = path.join(home, 'epiloop.json');
    await symlink(target, link);
    expect(lookAt(link)).toMatchObject({ target: undefined });
    await writeFile(target, '{}');
    const seen = lookAt(link)!;
    expect(signatureOf(seen.self)).toMatch(/^link:/);
    expect(signatureOf(seen.target!)).toMatch(/^file:/);
  });

  it('is racy while the file changed within RACY_MS of the look', async () => {
    const { home } = await tempHome();
    const file = path.join(home, 'epiloop.json');
    await writeFile(file, '{}');
    const stats = lookAt(file)!.self;
    expect(isRacy(stats, Date.now())).toBe(true);
    expect(isRacy(stats, Date.now() + RACY_MS + 50)).toBe(false);
  });
});

describe("top's discovery stamp", () => {
  it('stamps a fresh file with the time of the look, so two looks differ until the file settles', async () => {
    const { home } = await tempHome();
    const dir = path.join(home, '.epiloop-main');
    await mkdir(dir, { recursive: true });
    const config = path.join(dir, 'epiloop.json');
    await writeFile(config, '{}');
    const now = Date.now();
    // Fresh: a second write in the same clock tick could hide from size and times.
    expect(discoveryStamp(home, null, now).get(config)).toMatch(new RegExp(`@${now}$`));
    expect(discoveryStamp(home, null, now + 1).get(config)).not.toBe(discoveryStamp(home, null, now).get(config));
    // Settled (its times well back, and the look RACY_MS after its ctime): equal looks, equal stamps.
    const past = new Date(now - 60_000);
    await utimes(config, past, past);
    await utimes(dir, past, past);
    const later = Date.now() + RACY_MS + 50;
    expect(discoveryStamp(home, null, later).get(config)).not.toMatch(/@/);
    expect(discoveryStamp(home, null, later + 1000)).toEqual(discoveryStamp(home, null, later));
  });
});

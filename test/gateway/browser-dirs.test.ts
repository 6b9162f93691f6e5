import { describe, expect, it } from 'vitest';
import { browserDirs, chromiumArgs, chromiumEnv, fitsSocketPath } from '../../src/gateway/browser';

describe('browserDirs, chromiumEnv, chromiumArgs', () => {
  const dirs = browserDirs('/home/u/.epiloop-main', 'work');

  it('puts every dir Chromium writes inside the state dir', () => {
    for (const dir of Object.values(dirs)) expect(dir.startsWith('/home/u/.epiloop-main/')).toBe(true);
    expect(dirs.userData).toBe('/home/u/.epiloop-main/browser/work');
    expect(dirs.home).toBe('/home/u/.epiloop-main/browser-home/work');
    expect(dirs.tmp).toBe('/home/u/.epiloop-main/tmp/work');
  });

  it('knows when a TMPDIR is too long for the socket Chromium binds in it', () => {
    expect(fitsSocketPath(dirs.tmp)).toBe(true);
    expect(fitsSocketPath('/x'.repeat(28))).toBe(true);
    expect(fitsSocketPath('/x'.repeat(30))).toBe(false);
  });

  it('points HOME, TMPDIR and the XDG dirs there and keeps the rest of the environment', () => {
    const env = chromiumEnv({ PATH: '/usr/bin', HOME: '/home/u', TMPDIR: '/tmp', XDG_CONFIG_HOME: '/home/u/.config', LANG: 'C' }, dirs);
    expect(env).toEqual({
      PATH: '/usr/bin',
      LANG: 'C',
      HOME: dirs.home,
      TMPDIR: dirs.tmp,
      XDG_CONFIG_HOME: dirs.config,
      XDG_CACHE_HOME: dirs.cache,
      XDG_DATA_HOME: dirs.data,
      XDG_STATE_HOME: dirs.state,
    });
  });

  it('names the user-data and crash-dump dirs on the command line; --no-sandbox only as root', () => {
    const args = chromiumArgs({ cdpPort: 18800, dirs, root: false });
    expect(args).toContain(`--user-data-dir=${dirs.userData}`);
    expect(args).toContain(`--crash-dumps-dir=${dirs.crashDumps}`);
    expect(args).toContain('--remote-debugging-port=18800');
    expect(args).not.toContain('--no-sandbox');
    expect(chromiumArgs({ cdpPort: 18800, dirs, root: true })).toContain('--no-sandbox');
  });
});

import type { Config } from '../config/schema';
import type { Footprint } from '../ports/footprint';

export const DEFAULT_BROWSER_PROFILE = 'default';

export interface BrowserProfilePlan {
  name: string;
  /** The local CDP port a launched browser listens on; null for a remote browser or a full range. */
  cdpPort: number | null;
  /** A remote browser's CDP endpoint (browser.profiles.<name>.cdpUrl); nothing is launched for it. */
  cdpUrl: string | null;
  source: 'range' | 'pinned' | 'remote';
}

/**
 * Every browser profile with its CDP endpoint: "default" always exists; a profile with a
 * cdpUrl is remote, one with a cdpPort is pinned, the rest take the CDP range's ports in
 * order ("default" first), skipping ports pinned by others.
 */
export function planBrowserProfiles(config: Config | undefined, fp: Footprint): BrowserProfilePlan[] {
  const configured = config?.browser?.profiles ?? {};
  const names = [DEFAULT_BROWSER_PROFILE, ...Object.keys(configured).filter((name) => name !== DEFAULT_BROWSER_PROFILE)];
  const pinned = new Set(fp.pinnedCdp.map((p) => p.port));
  let next = fp.cdp.from;
  return names.map((name): BrowserProfilePlan => {
    const own = configured[name];
    // browser.cdpUrl is the remote endpoint of the default profile when the profile has none of its own.
    const cdpUrl = own?.cdpUrl ?? (name === DEFAULT_BROWSER_PROFILE ? config?.browser?.cdpUrl : undefined);
    if (cdpUrl !== undefined) return { name, cdpPort: null, cdpUrl, source: 'remote' };
    if (own?.cdpPort !== undefined) return { name, cdpPort: own.cdpPort, cdpUrl: null, source: 'pinned' };
    while (pinned.has(next)) next++;
    return { name, cdpPort: next <= fp.cdp.to ? next++ : null, cdpUrl: null, source: 'range' };
  });
}

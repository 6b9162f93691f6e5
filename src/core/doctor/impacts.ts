/** What a config rewrite changes for the gateway's clients, in words. Pure. */
import { getAt, type Raw } from '../config/edits';
import { reachChange, TOKEN_REPLACED } from '../config/effects';

/** What a profile's running gateway serves (its lock): its base port and the address it listens on. */
export interface ServedGateway {
  port: number;
  host: string;
}

/**
 * The keys clients depend on (the auth token, the base port, the bind address), compared
 * between the file as it could be read before and the config about to be written: each one
 * that changes is said in words, so a repair never replaces them silently (a bind, when it
 * changes who can reach the gateway). `served`: the base and address the profile's running
 * gateway serves (its lock), which is what clients use now, whatever the old file said;
 * `gateway`: its name when it is another profile's (reachChange), e.g. "main's gateway".
 */
export function clientImpacts(before: Raw, after: Raw, options: { served?: ServedGateway | null; gateway?: string; whole?: boolean } = {}): string[] {
  const served = options.served ?? null;
  // `whole`: before is the whole file as parsed, so a key not in it was missing, not lost to a broken read.
  const gone = options.whole ? 'was missing' : 'could not be read';
  const impacts: string[] = [];
  const token = { was: getAt(before, ['gateway', 'auth', 'token']), is: getAt(after, ['gateway', 'auth', 'token']) };
  if (token.was !== token.is) {
    impacts.push(
      typeof token.was === 'string'
        ? TOKEN_REPLACED
        : options.whole
          ? `the auth token ${gone}, so a new one is written: clients must use it`
          : `the auth token ${gone}, so a new one is written: clients using the old one will be refused`,
    );
  }
  const port = { was: getAt(before, ['gateway', 'port']), is: getAt(after, ['gateway', 'port']) };
  const wasPort = typeof port.was === 'string' && /^\s*\d+\s*$/.test(port.was) ? Number(port.was) : port.was;
  if (served !== null) {
    if (port.is !== undefined && port.is !== served.port) {
      impacts.push(`the base port moves ${served.port} → ${String(port.is)}: clients must use the new one (the running gateway serves ${served.port} until it restarts)`);
    }
  } else if (wasPort !== port.is && port.is !== undefined) {
    impacts.push(
      typeof wasPort === 'number'
        ? `the base port moves ${wasPort} → ${String(port.is)}: clients must use the new one (a running gateway keeps the old one until it restarts)`
        : `the base port ${gone}, so it is set to ${String(port.is)}: clients must use that one`,
    );
  }
  const bind = { was: getAt(before, ['gateway', 'bind']), is: getAt(after, ['gateway', 'bind']) };
  // Who can reach it changes from the address it serves, not from a bind in the file it never started with.
  const reach = bind.was === bind.is ? null : reachChange(served?.host ?? bind.was, bind.is, options.gateway === undefined ? {} : { gateway: options.gateway });
  if (reach !== null) impacts.push(reach.words);
  return impacts;
}

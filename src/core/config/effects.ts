/**
 * What a config change means for a running gateway, in words. Pure: the caller says what
 * runs (gateway process, service) and this says what to do.
 */
import type { KeyPath } from './keypath';
import { schemaKeyAt } from './known-keys';
import { bindReach, openPortsDemand, type GatewayReach } from '../gateway/plan';
import { whenItStarts } from '../messages';
import { asSentence } from '../text/sentence';

/** The gateway reads the keys the schema knows (at every depth), once, when it starts; a key it does not know is another tool's. */
export function gatewayReads(path: KeyPath): boolean {
  return schemaKeyAt(path).known;
}

export interface RunningFacts {
  /** This profile's gateway process, when one runs. */
  gatewayPid: number | null;
  /** This profile's service, when one is installed. */
  service: { name: string; active: boolean } | null;
  /** The change moves the base port (the service pins it on its command line). */
  baseMoved: boolean;
  /** "epiloop --profile rescue" */
  invocation: string;
}

/**
 * One sentence: does anything need a restart for the change to apply, and the exact
 * command. `facts` may be null for a key the gateway does not read (nothing is asked then).
 * A dry run's sentence says what the change would need once written. `blocker`: what a start
 * waits for once the change is made (whenItStarts), e.g. "the config is repaired": until then
 * a restart would be refused, so none is advised and a running gateway keeps its old config.
 */
export function restartAdvice(path: KeyPath, facts: RunningFacts | null, options: { dryRun?: boolean; blocker?: string | null } = {}): { restart: boolean; text: string } {
  const dry = options.dryRun === true;
  if (!gatewayReads(path) || facts === null) return { restart: false, text: `epiloop's gateway does not read this key: ${dry ? 'nothing would need a restart' : 'nothing to restart'}.` };
  const { invocation, service, gatewayPid } = facts;
  const blocker = options.blocker ?? null;
  const waits = [dry ? 'the change is written' : null, blocker].filter((w) => w !== null);
  const once = waits.length === 0 ? '' : `once ${waits.join(' and ')}, `;
  if (service !== null && facts.baseMoved) {
    return { restart: true, text: `The service ${service.name} runs the old base port: ${once}update it (it restarts if it runs) with: ${invocation} gateway install` };
  }
  const gateway = service !== null && service.active ? 'The gateway' : gatewayPid !== null ? `The gateway (pid ${gatewayPid})` : null;
  if (gateway !== null && blocker !== null) return { restart: false, text: `${gateway} keeps its old config: it can restart once ${blocker}.` };
  const restartIt = dry ? 'once the change is written, restart it to apply it' : 'restart it to apply the change';
  if (gateway !== null) {
    return { restart: true, text: `${gateway} reads its config when it starts: ${restartIt}: ${invocation} ${service !== null && service.active ? 'gateway restart' : 'restart'}` };
  }
  const when = blocker === null ? `it ${dry ? 'would use' : 'uses'} the new value when it starts` : whenItStarts(`"${invocation} start"`, blocker);
  return { restart: false, text: `The gateway is not running: ${when}.` };
}

/** gateway.bind as read from a file: a string bindReach judges, unset (loopback), or anything else (null: no gateway starts with it). */
function reachOf(bind: unknown): GatewayReach | null {
  return bind === undefined || typeof bind === 'string' ? bindReach(bind) : null;
}

/**
 * Who can reach the gateway once gateway.bind changed from `was` to `is` (undefined: not set,
 * loopback), in words: `open` when other machines can (said each time it changes: the
 * WebSocket, browser control and canvas then demand the token; /health stays open), else a
 * return to only this machine, said once; null when neither is the case (loopback to loopback,
 * nothing changed, or a bind no gateway starts with). config set, doctor's plans and a rescue's
 * rollback alert say it; `gateway` names it where "this gateway" would be the speaker's own.
 */
export function reachChange(was: unknown, is: unknown, options: { dryRun?: boolean; gateway?: string } = {}): { open: boolean; words: string } | null {
  const dry = options.dryRun === true;
  const gateway = options.gateway ?? 'this gateway';
  const after = reachOf(is);
  if (was === is || after === null) return null;
  const shown = is === undefined ? 'gateway.bind unset (loopback)' : `gateway.bind ${JSON.stringify(is)}`;
  if (after === 'lan') {
    return { open: true, words: `other machines ${dry ? 'would' : 'can'} reach ${gateway} with ${shown}: ${openPortsDemand(dry)}` };
  }
  return reachOf(was) === 'loopback' ? null : { open: false, words: `only this machine ${dry ? 'would' : 'can'} reach ${gateway} with ${shown}` };
}

/** reachChange as config set and doctor --rollback print it: a sentence, "!" when the gateway opens to other machines. */
export function reachAdvice(was: unknown, is: unknown, options: { dryRun?: boolean } = {}): string | null {
  const change = reachChange(was, is, options);
  if (change === null) return null;
  const sentence = asSentence(change.words);
  return change.open ? `! ${sentence}` : sentence;
}

/** A token replaced, as doctor's plans and a rollback say it among a change's impacts. */
export const TOKEN_REPLACED = 'the auth token is replaced: clients using the old one will be refused';

/** TOKEN_REPLACED as config set prints it after the diff: "!", a sentence, and until when. */
export function tokenAdvice(options: { dryRun?: boolean } = {}): string {
  const sentence = `${TOKEN_REPLACED} until they have the new one.`;
  return options.dryRun === true ? `! Once written, ${sentence}` : `! ${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}`;
}

/** What a start waits for (restartAdvice's blocker) after bindAddressWarning: the start refuses any other bind. */
export const BIND_ON_THIS_HOST = 'gateway.bind is an address of this host';

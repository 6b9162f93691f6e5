/**
 * `epiloop top` as a state machine: (state, event) => state. The screen draws it and sends
 * keys and refreshed facts; the one hook that acts (components/top/use-top.ts) runs what a
 * `busy` state asks for and sends its outcome back.
 */
import type { LifecycleAction } from '../lifecycle/plan';
import type { GatewayState } from './row';
import type { TopKey } from './keys';

export type View = 'main' | 'details' | 'log' | 'doctor' | 'help';

export interface Pending {
  action: LifecycleAction;
  label: string;
}

export interface TopState {
  /** The selected profile's label; null while the host has none. */
  selected: string | null;
  view: View;
  /** An action asked about (confirm) or running (busy). */
  confirm: Pending | null;
  busy: Pending | null;
  /** What the last action did, or why it was not done. */
  message: { text: string; ok: boolean } | null;
  /** Lines a view is scrolled from where it opens: up from the end of the full log, down from the top of the others. */
  scroll: number;
  quit: boolean;
  /** The profiles as last read: their labels in order and their gateways' states. */
  profiles: TopProfile[];
}

export interface TopProfile {
  label: string;
  state: GatewayState;
  /** What s and r say instead of a start while its config keeps the gateway from starting (startNotTried); absent when nothing does. */
  startRefused?: string;
  /** What r says instead of a restart of a running gateway, for the same reason (restartNotTried). */
  restartRefused?: string;
}

export type TopEvent =
  /** limit: how far the view on screen scrolls (its lines past its room); no bound when not given. */
  | { type: 'key'; key: TopKey; limit?: number }
  | { type: 'profiles'; profiles: TopProfile[] }
  | { type: 'done'; text: string; ok: boolean };

export const initialTop: TopState = { selected: null, view: 'main', confirm: null, busy: null, message: null, scroll: 0, quit: false, profiles: [] };

function move(state: TopState, by: number): TopState {
  const labels = state.profiles.map((p) => p.label);
  if (labels.length === 0) return state;
  const at = Math.max(0, labels.indexOf(state.selected ?? ''));
  return { ...state, selected: labels[Math.min(labels.length - 1, Math.max(0, at + by))]!, scroll: 0 };
}

function keyOf(given: TopState, key: TopKey, limit = Number.POSITIVE_INFINITY): TopState {
  // q quits from anywhere, a question included (nothing asked is done); Esc is the key that goes back.
  if (key === 'q') return { ...given, confirm: null, quit: true };
  // An outcome stays in the footer until the next key, which brings the keys' hints back.
  const state = given.message === null ? given : { ...given, message: null };
  if (state.confirm !== null) {
    if (key === 'y' || key === 'enter') return { ...state, confirm: null, busy: state.confirm, message: null };
    if (key === 'n' || key === 'esc') return { ...state, confirm: null, message: { text: `Nothing done: ${state.confirm.action} of ${state.confirm.label} cancelled.`, ok: true } };
    return state;
  }
  if (key === 'esc') return { ...state, view: 'main', scroll: 0 };
  if (state.view !== 'main' && (key === 'up' || key === 'down')) {
    // The full log opens at its end and scrolls up; the other views open at their top and scroll down.
    const by = (key === 'up') === (state.view === 'log') ? 1 : -1;
    return { ...state, scroll: Math.min(limit, Math.max(0, state.scroll + by)) };
  }
  if (key === 'up' || key === 'down') return move(state, key === 'up' ? -1 : 1);
  if (key === '?') return { ...state, view: state.view === 'help' ? 'main' : 'help', scroll: 0 };
  const selected = state.profiles.find((p) => p.label === state.selected);
  if (selected === undefined) return state;
  if (key === 'enter') return { ...state, view: state.view === 'details' ? 'main' : 'details', scroll: 0 };
  if (key === 'l') return { ...state, view: 'log', scroll: 0 };
  if (key === 'd') return { ...state, view: 'doctor', scroll: 0 };
  if (state.busy !== null) return { ...state, message: { text: `Wait: ${state.busy.action} of ${state.busy.label} is running.`, ok: false } };
  // A start the gateway would refuse (s or r on a stopped one, r on a running one) is not offered: what it waits for is said instead.
  const refused = refusalOf(selected, key);
  if (refused !== undefined) return { ...state, message: { text: refused, ok: false } };
  if (key === 's') return { ...state, confirm: { action: selected.state === 'down' ? 'start' : 'stop', label: selected.label } };
  if (key === 'r') return { ...state, confirm: { action: 'restart', label: selected.label } };
  return state;
}

/** What `key` says instead of acting on `p`, when it would start a gateway its config keeps from starting. */
function refusalOf(p: TopProfile, key: TopKey): string | undefined {
  if (key === 'r' && p.state !== 'down') return p.restartRefused;
  return (key === 's' || key === 'r') && p.state === 'down' ? p.startRefused : undefined;
}

export function topReducer(state: TopState, event: TopEvent): TopState {
  switch (event.type) {
    case 'key':
      return keyOf(state, event.key, event.limit);
    case 'profiles': {
      const labels = event.profiles.map((p) => p.label);
      // The selection follows its profile; a profile that is gone hands it to the first.
      const selected = state.selected !== null && labels.includes(state.selected) ? state.selected : (labels[0] ?? null);
      return { ...state, profiles: event.profiles, selected };
    }
    case 'done':
      return { ...state, busy: null, message: { text: event.text, ok: event.ok } };
  }
}

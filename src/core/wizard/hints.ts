/** The key line under each step, drawn from the keys table: every key the step takes, in words, and nothing else. */
import { activeBindings, hintOf, statusOf } from './keymap';
import { type WizardState } from './model';

export function keyHintParts(state: WizardState): string[] {
  const status = statusOf(state);
  return [...(status === null ? [] : [status]), ...activeBindings(state).map((b) => hintOf(b, state))];
}

export function keyHints(state: WizardState): string {
  return keyHintParts(state).join(' · ');
}

/** The key line wrapped to the terminal between hints, never inside one: two lines at most at 80 columns. */
export function keyHintLines(state: WizardState, width: number): string[] {
  const lines: string[] = [];
  for (const part of keyHintParts(state)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 3 + part.length <= width) lines[last] += ` · ${part}`;
    else lines.push(part);
  }
  return lines;
}

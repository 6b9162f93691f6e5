/** The answers as the config apply writes: the foundation's ProfilePlan, each question putting in its own keys. */
import { deleteAt, getAt, setAt } from '../config/edits';
import { editConfigText } from '../config/edit';
import { formatDiff, lineDiff, splitLines } from '../text/diff';
import { planConfig, type ProfilePlan } from '../profile/plan';
import { dirFound, type Answers, type ServiceSupport, type WizardFacts } from './facts';
import { QUESTIONS, type ConfigEditor } from './questions';

/** The preview shows the token masked; the real one is drawn when the config is written. */
export const PREVIEW_TOKEN = 'x'.repeat(32);

/** The config as the wizard found it: valid, or what could still be read of an invalid one. */
export function currentRaw(facts: WizardFacts): Record<string, unknown> {
  const { loaded } = facts;
  return loaded.state === 'ok' ? loaded.raw : loaded.state === 'invalid' ? (loaded.raw ?? {}) : {};
}

/** The answers as the foundation's ProfilePlan: base and workspace, then every question's own keys. */
export function profilePlan(answers: Answers, facts: WizardFacts): ProfilePlan {
  const known = { facts, answers, proposals: null, service: null };
  return {
    base: answers.base,
    workspace: answers.workspace,
    edit: (raw) => {
      const editor: ConfigEditor = {
        get: (keys) => getAt(raw, keys),
        set: (keys, value) => setAt(raw, keys, value),
        remove: (keys) => deleteAt(raw, keys),
      };
      for (const q of QUESTIONS) q.write?.(editor, known);
    },
  };
}

/** The current config text, null when there is none. */
export function currentText(facts: WizardFacts): string | null {
  return facts.loaded.state === 'missing' ? null : facts.loaded.text;
}

/** The config text as apply will write it (an edit of the current file); a new auth token is random, so show it through maskSecrets. */
export function previewConfig(answers: Answers, facts: WizardFacts): string {
  return editConfigText(currentText(facts), planConfig(currentRaw(facts), profilePlan(answers, facts), PREVIEW_TOKEN, facts.paths));
}

/** The config's lines that apply changes, each through `mask` (the token hidden); none when it stays as it is, or there is none yet. */
export function configDiff(answers: Answers, facts: WizardFacts, mask: (before: string, after: string) => [string[], string[]] = (b, a) => [splitLines(b), splitLines(a)]): string[] {
  const current = currentText(facts);
  if (current === null) return [];
  return formatDiff(lineDiff(...mask(current, previewConfig(answers, facts))));
}

/** Apply would write nothing: the config stays as it is, its state dir is there, no service is installed (a missing workspace is still made). */
export function writesNothing({ facts, answers, service }: { facts: WizardFacts; answers: Answers; service: ServiceSupport | null }): boolean {
  const installs = service?.usable === true && answers.installService;
  return currentText(facts) !== null && dirFound(facts, facts.paths.stateDir) && !installs && configDiff(answers, facts).length === 0;
}

/** The key line under each step: what the reducer accepts there, in words. Kept beside the reducer's keys. */
import { bodyHeight, findings } from './state';
import { reviewBody, summaryBody } from './summary';
import { type WizardState } from './model';

const QUIT = 'Ctrl-C quit';

function scrollHint(state: WizardState, total: number): string[] {
  const height = bodyHeight(state.view);
  if (total <= height) return [];
  return [`↑/↓ scroll (${state.scroll + 1}–${Math.min(total, state.scroll + height)} of ${total})`];
}

export function keyHints(state: WizardState): string {
  const parts = ((): string[] => {
    switch (state.step) {
      case 'welcome':
        return ['Enter start', QUIT];
      case 'role':
        return ['↑/↓ choose', 'Enter next', 'Esc back', QUIT];
      case 'paths':
        return ['type to edit', 'Ctrl-U clear', 'Enter next', 'Esc back', QUIT];
      case 'port':
        return ['↑/↓ ±1', 'PgUp/PgDn ±100', 'digits type', state.port.suggestion === null ? 'p proposal' : `p ${state.port.suggestion}`, 'Enter next', 'Esc back'];
      case 'browser':
        return state.browserEditing ? ['type the URL', 'Enter next', 'Esc cancel', QUIT] : ['↑/↓ choose', 'Enter next', 'Esc back', QUIT];
      case 'service':
        return state.service?.usable ? ['↑/↓ choose', 'Enter next', 'Esc back', QUIT] : ['Enter next', 'Esc back', QUIT];
      case 'summary':
        return ['Enter write it', ...scrollHint(state, summaryBody(state).length), 'Esc back', `${QUIT} (nothing written)`];
      case 'apply':
        if (state.apply.running) return [state.cancelRequested ? 'stopping after this write…' : 'writing…'];
        return [...(state.apply.backTo === 'port' && state.port.suggestion !== null ? [`p use ${state.port.suggestion}`] : []), 'Enter try again', `Esc back to the ${state.apply.backTo} step`, QUIT];
      case 'repair':
        return repairHints(state);
      default:
        return [];
    }
  })();
  return parts.join(' · ');
}

function repairHints(state: WizardState): string[] {
  switch (state.repair.phase) {
    case 'list': {
      const modify = state.facts.loaded.state === 'ok' ? ['m change settings'] : [];
      if (findings(state).some((f) => f.fixable)) return ['↑/↓ move', 'Space toggle', 'Enter review fixes', ...modify, 'q leave as is'];
      return [...modify, 'q leave as is', QUIT];
    }
    case 'review':
      return ['Enter apply', ...scrollHint(state, reviewBody(state).length), 'Esc back', `${QUIT} (nothing written)`];
    case 'failed':
      return ['Esc back', QUIT];
    case 'done':
      return [];
    default:
      return [state.cancelRequested ? 'stopping after this step…' : 'working…'];
  }
}

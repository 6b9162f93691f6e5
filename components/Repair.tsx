import { tildify } from '../src/core/profile/paths';
import { findings } from '../src/core/wizard/state';
import { scrolledRows } from './Scrolled';
import { leftLines } from '../src/core/wizard/summary';
import { noAutomaticFix, repairFix } from '../src/core/wizard/words';
import { type WizardState } from '../src/core/wizard/model';
import { BodyRows, headedRows, textRows, toneRows, type Body } from './rows';

/** The findings, each with its box; the focused one opens its detail and fix under it, and is the focus. */
function findingList(state: WizardState): Body {
  const list = findings(state);
  const { facts, cursor, repair } = state;
  const shown = tildify(facts.paths.configPath, facts.home);
  const width = state.view.columns;
  const body = new BodyRows();
  if (list.length === 0) {
    return body
      .add(textRows(`Profile ${facts.paths.label} already has a config: ${shown}`, width))
      .add(textRows('✔ Nothing to repair: its ports, paths and permissions are in order.', width, { color: 'green' }, 2))
      .body();
  }
  const found = `${shown} exists. ${list.length} problem${list.length === 1 ? '' : 's'} found`;
  body.add(textRows(list.some((f) => f.fixable) ? `${found}; pick what to fix:` : `${found}; ${noAutomaticFix(list)}:`, width)).gap();
  list.forEach((f, i) => {
    const here = i === cursor;
    const box = f.fixable ? (repair.selected[i] ? '[x]' : '[ ]') : '   ';
    const head = [
      { text: `${here ? '› ' : '  '}${box} `, style: { bold: here } },
      { text: f.severity === 'error' ? '✖ error  ' : '! warning', style: { color: f.severity === 'error' ? 'red' : 'yellow', bold: here } },
      { text: ' ' },
    ];
    body.add(headedRows(head, f.summary, width, { bold: here }), { focus: here });
    if (!here) return;
    for (const d of f.detail.slice(0, 3)) body.add(textRows(`      ${d}`, width, { dimColor: true }), { focus: true });
    const fix = repairFix(f);
    body.add(textRows(fix ? `      fix: ${fix}` : '      no automatic fix: edit the file by hand, then run onboard again', width, {}, 11), { focus: true });
  });
  if (repair.error) body.gap().add(textRows(`✖ ${repair.error}`, width, { color: 'red' }, 2), { focus: 'answer' });
  return body.body();
}

export function repairBody(state: WizardState): Body {
  const { repair, facts } = state;
  const width = state.view.columns;
  switch (repair.phase) {
    case 'list':
    case 'failed':
      return findingList(state);
    case 'planning':
      return { rows: textRows('Planning the fixes (nothing is written yet)…', width), focus: null };
    case 'review':
      return scrolledRows(state);
    case 'applying':
      return { rows: textRows('Repairing…', width), focus: null };
    case 'left':
      return { rows: toneRows(leftLines(state), width), focus: null };
    case 'done': {
      const body = new BodyRows().add(textRows(`✔ Repaired profile ${facts.paths.label}.`, width, { color: 'green' }));
      for (const a of repair.result?.applied ?? []) body.add(textRows(`  • ${a}`, width, {}, 4));
      if (repair.result?.backupPath) body.add(textRows(`  backup of the old config: ${tildify(repair.result.backupPath, facts.home)}`, width));
      for (const n of repair.plan?.notes ?? []) body.add(textRows(`  note: ${n}`, width, { color: 'yellow' }, 8));
      return body.add(textRows(`Next: ${facts.invocation} status`, width)).body();
    }
  }
}

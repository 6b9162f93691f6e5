import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/doctor/findings';
import { keyHints } from '../../src/core/wizard/hints';
import { checkBase, FLOW, initialState, portMapOf, portRows, reduce, selectedKinds, stepNumber } from '../../src/core/wizard/state';
import { leftLines, summaryBody } from '../../src/core/wizard/summary';
import { HOME, PROPOSALS, feed, feedRaw, hostFacts, probed } from './fixtures';
import { MAX_BASE } from '../../src/core/ports/footprint';
import { baseHint } from '../../src/core/wizard/portview';
import { type Diagnosis } from '../../src/core/doctor/diagnosis';
import { type ApplyOutcome, type WizardState } from '../../src/core/wizard/model';

const unusable = { type: 'service', support: { usable: false, kind: 'systemd', reason: 'systemd is not running on this host.' } } as const;
const usable = { type: 'service', support: { usable: true, kind: 'systemd' } } as const;
const proposed = { type: 'proposed', proposals: PROPOSALS } as const;

/** A new rescue profile beside main, walked to the port step, the proposal in. */
function atPort(): WizardState {
  return feed(initialState(hostFacts()), proposed, 'enter', 'enter', 'enter');
}

const outcome: ApplyOutcome = { configPath: `${HOME}/.epiloop-rescue/epiloop.json`, base: 19789, backupPath: null, stateDirCreated: true, written: true, runningPid: null, service: { ok: true, lines: [] } };

describe('the wizard reducer', () => {
  it('opens on welcome for a new profile, with rescue preselected for the profile "rescue"', () => {
    const state = initialState(hostFacts());
    expect(state.step).toBe('welcome');
    const role = feed(state, 'enter');
    expect(role.step).toBe('role');
    expect(role.cursor).toBe(1);
    expect(feed(initialState(hostFacts({ profile: 'work' })), 'enter').cursor).toBe(0);
  });

  it('opens on repair when the profile already has a config', () => {
    expect(initialState(hostFacts({ config: '{ gateway: { port: 19789 } }' })).step).toBe('repair');
  });

  it('walks welcome → role → paths → port → browser → service → bind → summary → apply', () => {
    let state = feed(initialState(hostFacts()), proposed, unusable);
    const steps = [state.step];
    state = feed(state, 'enter', 'enter', 'enter');
    steps.push(state.step);
    state = feed(state, probed(19789), 'enter', 'enter', 'enter', 'enter');
    steps.push(state.step);
    state = feed(state, 'enter');
    steps.push(state.step);
    expect(steps).toEqual(['welcome', 'port', 'summary', 'apply']);
    expect(state.apply.running).toBe(true);
    expect(state.answers).toEqual({
      role: 'rescue',
      workspace: `${HOME}/.epiloop/workspace-rescue`,
      base: 19789,
      browser: { kind: 'local' },
      installService: false,
      bind: 'loopback',
    });
    const done = reduce(state, { type: 'applied', outcome });
    expect(done.step).toBe('done');
    expect(done.exit).toEqual({ code: 0 });
  });

  it('prefills the proposal when it arrives, and follows a role change until the user picks a base', () => {
    let state = feed(initialState(hostFacts()), proposed);
    expect(state.answers.base).toBe(19789);
    state = feed(state, 'enter', 'up', 'enter');
    expect(state.answers.role).toBe('main');
    expect(state.answers.base).toBe(18900);
    state = feed(state, 'enter', 'up', 'esc', 'esc', 'down', 'enter');
    expect(state.answers.role).toBe('rescue');
    expect(state.answers.base).toBe(18901);
  });

  it('changes the base by 1 and 100 with the arrows, within 1024 … 65425', () => {
    const state = atPort();
    expect(feed(state, 'up').port.text).toBe('19790');
    expect(feed(state, 'down', 'down').port.text).toBe('19787');
    expect(feed(state, 'pageUp').answers.base).toBe(19889);
    expect(feed(state, 'pageDown', 'pageDown').answers.base).toBe(19589);
    expect(feed(state, { text: '65420' }, 'pageUp').answers.base).toBe(65425);
    expect(feed(state, { text: '1030' }, 'pageDown').answers.base).toBe(1024);
  });

  it('takes typed digits: the first replaces the prefill, the next append; p goes back to the proposal', () => {
    let state = feed(atPort(), { text: '2' });
    expect(state.port.text).toBe('2');
    state = feed(state, { text: '1' }, { text: '0' }, { text: '0' }, { text: '0' });
    expect(state.port.text).toBe('21000');
    expect(state.answers.base).toBe(21000);
    state = feed(state, 'backspace', { text: 'x5' });
    expect(state.port.text).toBe('21005');
    expect(feed(state, { text: 'p' }).answers.base).toBe(19789);
  });

  describe('the base field is a good number input (issue 13)', () => {
    it('clamps an out-of-range typed base with the arrows: ↑ and ↓ on 65500 give the highest valid base', () => {
      expect(feed(atPort(), { text: '6' }, { text: '5' }, { text: '5' }, { text: '0' }, { text: '0' }, 'up').port.text).toBe(String(MAX_BASE));
      expect(feed(atPort(), { text: '65500' }, 'up').port.text).toBe(String(MAX_BASE));
      expect(feed(atPort(), { text: '65500' }, 'down').port.text).toBe(String(MAX_BASE));
      expect(feed(atPort(), { text: '80' }, 'up').port.text).toBe('1024');
      expect(feed(atPort(), { text: '99999' }, 'pageDown').port.text).toBe(String(MAX_BASE));
    });

    it('after a refused value, Ctrl-U clears, Backspace edits and a typed digit starts a new number', () => {
      const refused = feed(atPort(), { text: '65500' }, 'enter');
      expect(refused.port.error).toContain(`from 1024 to ${MAX_BASE}`);
      expect(feed(refused, 'ctrlU').port.text).toBe('');
      expect(feed(refused, 'backspace').port.text).toBe('6550');
      expect(feed(refused, { text: '2' }).port.text).toBe('2');
      expect(feed(refused, { text: '2' }).port.error).toBeNull();
      const taken = feed(atPort(), { text: '18800' }, 'enter');
      expect(taken.port.error).not.toBeNull();
      expect(feed(taken, { text: '2' }, { text: '0' }).port.text).toBe('20');
    });

    it('names the real range in the hint while the field holds no valid base', () => {
      expect(baseHint()).toBe(`Type a base port from 1024 to ${MAX_BASE}: the map follows as soon as it is one.`);
    });
  });

  it('a pasted number keeps only its digits', () => {
    expect(feed(atPort(), { text: ' 20 123\r' }).port.text).toBe('20123');
  });

  it('refuses on Enter a base inside another profile, naming it, before any probe', () => {
    const state = feed(atPort(), { text: '18800' }, 'enter');
    expect(state.step).toBe('port');
    expect(state.port.error).toMatch(/inside main's/);
    expect(state.port.error).toContain('19789');
  });

  it('draws the map of a new base at once from the last snapshot of the host, and confirms it when its own probe answers (issue 13)', () => {
    let state = feed(atPort(), probed(19789, { 19850: 'nginx' }), 'up');
    expect(portMapOf(state, 19790)).toMatchObject({ confirmed: false });
    expect(portRows(state, 19790).map((r) => r.state)).toEqual(['free', 'free', 'free', 'bound']);
    // An answer for a base the field has already left still updates the snapshot.
    state = feed(state, probed(19789));
    expect(portRows(state, 19790).map((r) => r.state)).toEqual(['free', 'free', 'free', 'free']);
    state = feed(state, probed(19790));
    expect(portMapOf(state, 19790).confirmed).toBe(true);
  });

  it('shows the claims at once and the host state only once the probe for this very base answered', () => {
    let state = feed(atPort(), 'up');
    expect(portRows(state, 19790).map((r) => r.state)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    state = feed(state, probed(19789));
    expect(state.port.probe).toBeNull();
    state = feed(state, probed(19790, { 19850: 'nginx' }));
    expect(portRows(state, 19790).map((r) => r.state)).toEqual(['free', 'free', 'free', 'bound']);
    expect(feed(atPort(), { text: '18850' }).port.probe).toBeNull();
    expect(portRows(feed(atPort(), { text: '18850' }), 18850).every((r) => r.state === 'claimed')).toBe(true);
  });

  it('waits for a pending probe on Enter, then goes on or refuses', () => {
    const pending = feed(atPort(), 'enter');
    expect(pending.step).toBe('port');
    expect(pending.port.confirming).toBe(true);
    expect(feed(pending, probed(19789)).step).toBe('browser');
    const refused = feed(pending, probed(19789, { 19791: 'nginx' }));
    expect(refused.step).toBe('port');
    expect(refused.port.error).toMatch(/19791 \(browser control\) is bound by nginx \(pid 812\)/);
  });

  it('lets its own running gateway hold the current base of an existing profile; a stranger there is refused', () => {
    const facts = hostFacts({ config: '{ gateway: { port: 19789 } }', gateway: { pid: 812 } });
    const state = feed(initialState(facts), { text: 'm' }, 'enter', 'enter', probed(19789, { 19789: 'node' }), 'enter');
    expect(state.step).toBe('browser');
    const stopped = hostFacts({ config: '{ gateway: { port: 19789 } }' });
    const waiting = feed(initialState(stopped), { text: 'm' }, 'enter', 'enter', probed(19789, { 19789: 'node' }), 'enter');
    // A holder seen before the Enter is checked again on a fresh probe before it refuses.
    expect([waiting.step, waiting.port.confirming, waiting.port.error]).toEqual(['port', true, null]);
    expect(feed(waiting, probed(19789, { 19789: 'node' })).port.error).toMatch(/^19789 \(gateway\) is bound by node \(pid 812\) on 127\.0\.0\.1/);
    expect(feed(waiting, probed(19789)).step).toBe('browser');
  });

  it('goes back with Esc, answers kept', () => {
    let state = feed(atPort(), { text: '21000' }, probed(21000), 'enter');
    expect(state.step).toBe('browser');
    state = feed(state, 'esc');
    expect(state.step).toBe('port');
    expect(state.port.text).toBe('21000');
    state = feed(state, 'esc');
    expect(state.step).toBe('paths');
    expect(state.field.text).toBe('~/.epiloop/workspace-rescue');
    state = feed(state, 'esc', 'esc');
    expect(state.step).toBe('welcome');
    state = feed(state, 'enter', 'enter', 'enter');
    expect(state.step).toBe('port');
    expect(state.answers.base).toBe(21000);
  });

  it('Esc walks back exactly one step from every step: summary → bind → service → browser → port → paths → role → welcome', () => {
    let state = feed(atPort(), probed(19789), 'enter', 'down', 'enter', { text: 'http://127.0.0.1:9333' }, 'enter', usable, 'down', 'enter', 'enter');
    expect(state.step).toBe('summary');
    const back: string[] = [];
    for (let i = 0; i < 7; i++) {
      state = feed(state, 'esc');
      back.push(state.step);
    }
    expect(back).toEqual(['bind', 'service', 'browser', 'port', 'paths', 'role', 'welcome']);
    expect(['welcome', ...back.slice().reverse().slice(1), 'summary']).toEqual(FLOW.slice(0, -1));
    // Esc on the first step never quits.
    expect(feed(state, 'esc').exit).toBeNull();
  });

  it('Esc on the service step shows the browser step with the browser chosen before', () => {
    const service = feed(atPort(), probed(19789), 'enter', 'down', 'enter', { text: 'http://127.0.0.1:9333' }, 'enter', usable);
    expect(service.step).toBe('service');
    const browser = feed(service, 'esc');
    expect(browser.step).toBe('browser');
    expect(browser.cursor).toBe(1);
    expect(browser.answers.browser).toEqual({ kind: 'remote', cdpUrl: 'http://127.0.0.1:9333' });
  });

  it('quits on Ctrl-C from any step with 130 and nothing to write', () => {
    for (const keys of [[], ['enter'], ['enter', 'enter'], ['enter', 'enter', 'enter']] as const) {
      const state = feed(initialState(hostFacts()), ...keys, 'ctrlC');
      expect(state.step).toBe('cancelled');
      expect(state.exit).toEqual({ code: 130 });
      expect(state.apply.running).toBe(false);
    }
  });

  it('lets a write in flight finish on Ctrl-C, then exits 130', () => {
    const state = feed(atPort(), probed(19789), 'enter', 'enter', unusable, 'enter', 'enter', 'enter', 'ctrlC');
    expect(state.step).toBe('apply');
    expect(state.exit).toBeNull();
    expect(keyHints(state)).toContain('stopping');
    expect(reduce(state, { type: 'applied', outcome }).exit).toEqual({ code: 130 });
    const refused = reduce(state, { type: 'applyFailed', message: 'refused', backTo: 'port' });
    expect([refused.step, refused.exit]).toEqual(['cancelled', { code: 130 }]);
  });

  it('checks the workspace: absolute or ~/…, not another profile\'s', () => {
    const paths = feed(initialState(hostFacts()), 'enter', 'enter');
    expect(feed(paths, 'ctrlU', { text: 'work' }, 'enter').field.error).toMatch(/absolute path/);
    expect(feed(paths, 'ctrlU', { text: '~/.epiloop/workspace-main' }, 'enter').field.error).toMatch(/main already uses/);
    const next = feed(paths, 'ctrlU', { text: '~/bots/rescue' }, 'enter');
    expect(next.step).toBe('port');
    expect(next.answers.workspace).toBe(`${HOME}/bots/rescue`);
  });

  it('takes a remote Chrome by URL, never one another profile pins', () => {
    const browser = feed(atPort(), probed(19789), 'enter', 'down', 'enter');
    expect(browser.editing).toBe(true);
    expect(feed(browser, { text: 'http://127.0.0.1:9222' }, 'enter').field.error).toMatch(/main already uses/);
    expect(feed(browser, { text: 'not a url' }, 'enter').field.error).toMatch(/URL/);
    // On the base chosen two steps back: its own gateway port is not a Chrome.
    expect(feed(browser, { text: 'http://127.0.0.1:19789' }, 'enter').field.error).toBe("port 19789 is rescue's own gateway port, not a Chrome's; give the DevTools address of a Chrome you run");
    const service = feed(browser, { text: 'http://127.0.0.1:9333' }, 'enter');
    expect(service.step).toBe('service');
    expect(service.answers.browser).toEqual({ kind: 'remote', cdpUrl: 'http://127.0.0.1:9333' });
  });

  it('asks about the service only when a manager answered; defaults to installing where usable', () => {
    const service = feed(atPort(), probed(19789), 'enter', 'enter');
    expect(service.step).toBe('service');
    expect(feed(service, 'enter').step).toBe('service');
    const yes = feed(service, usable);
    expect(yes.cursor).toBe(0);
    expect(feed(yes, 'enter').answers.installService).toBe(true);
    expect(feed(yes, 'down', 'enter').answers.installService).toBe(false);
    expect(feed(service, unusable, 'enter').answers.installService).toBe(false);
  });

  it('scrolls the summary within the body the frame measured, and clamps its scroll', () => {
    const summary = feed(atPort(), probed(19789), 'enter', 'enter', unusable, 'enter', 'enter');
    expect(summary.step).toBe('summary');
    const total = summaryBody(summary).length;
    // Until the frame has measured the body, nothing scrolls (the key line offers no scroll either).
    expect(feed(summary, 'pageDown').scroll).toBe(0);
    const body = reduce(summary, { type: 'body', body: { lines: total, room: 10, anchor: 0 } });
    const scrolled = feed(body, ...Array.from({ length: 60 }, () => 'down' as const));
    expect(scrolled.scroll).toBe(total - 10);
    // PgDn moves a room less one line, so the last line of a page stays in sight.
    expect(feed(body, 'pageDown').scroll).toBe(9);
    expect(feed(scrolled, 'pageUp', 'pageUp', 'pageUp', 'pageUp', 'pageUp').scroll).toBe(0);
    // A taller window clamps the scroll at once: nothing below the body's end is shown.
    expect(reduce(scrolled, { type: 'body', body: { lines: total, room: total - 2, anchor: 0 } }).scroll).toBe(2);
    // Each step is measured afresh: Esc leaves the measure behind.
    expect(feed(scrolled, 'esc').body).toBeNull();
  });

  it('sends a refused apply back to the port step on Esc, answers kept', () => {
    const apply = feed(atPort(), probed(19789), 'enter', 'enter', unusable, 'enter', 'enter', 'enter');
    const failed = reduce(apply, { type: 'applyFailed', message: 'base port 19789 (from the wizard) cannot be used', backTo: 'port' });
    expect(failed.apply.error).toContain('cannot be used');
    const back = feed(failed, 'esc');
    expect(back.step).toBe('port');
    expect(back.answers.base).toBe(19789);
    expect(feed(failed, 'enter').apply.running).toBe(true);
  });

  it('a refusal at Apply updates the port step: its rows, the reason, and the offered base one key away (issue 10)', () => {
    const apply = feed(atPort(), probed(19789), 'enter', 'enter', unusable, 'enter', 'enter', 'enter');
    const listeners = new Map([[19791, [{ address: '127.0.0.1', pid: 4242, command: 'nginx' }]]]);
    const failed = reduce(apply, {
      type: 'applyFailed',
      message: 'base port 19789 (from the wizard) cannot be used for profile "rescue":\n  19791 (browser control): bound by nginx (pid 4242) on 127.0.0.1',
      backTo: 'port',
      refusal: { base: 19789, host: { listeners }, suggestion: 20009 },
    });
    expect(keyHints(failed)).toContain('p use 20009');
    // What Apply saw is a fresh probe of its base: the port step waits its debounce before the next.
    expect(failed.port.probe).toMatchObject({ base: 19789, stale: false });
    const back = feed(failed, 'esc');
    expect(back.step).toBe('port');
    // The row the refusal saw is bound now, not "free" as the probe before it said; Enter does not take it.
    expect(portRows(back, 19789)[1]).toMatchObject({ state: 'bound', text: 'bound by nginx (pid 4242) on 127.0.0.1' });
    expect(back.port.refused).toMatch(/^base port 19789 \(from the wizard\) cannot be used/);
    expect(feed(back, 'enter', probed(19789, { 19791: 'nginx' })).port.error).toMatch(/19791 \(browser control\) is bound by nginx/);
    // p takes the base Apply offered, from the port step and from the Apply screen alike.
    expect(feed(back, { text: 'p' }).answers.base).toBe(20009);
    const taken = feed(failed, { text: 'p' });
    expect([taken.step, taken.answers.base, taken.port.refused]).toEqual(['port', 20009, null]);
  });

  it('a holder that exits is free again at the next probe, and Enter then takes the base (issue 10)', () => {
    const busy = feed(atPort(), probed(19789, { 19793: 'nginx' }));
    expect(portRows(busy, 19789)[2]!.state).toBe('bound');
    // A probe's answer is fresh: the UI probes again after its debounce, not at once (App reads stale).
    expect(busy.port.probe?.stale).toBe(false);
    // Enter on a base a probe saw held asks for a fresh probe first …
    const asked = feed(busy, 'enter');
    expect([asked.step, asked.port.confirming, asked.port.probe?.stale]).toEqual(['port', true, true]);
    // … and the holder has exited since: the fresh probe says free, and the step goes on.
    expect(feed(asked, probed(19789)).step).toBe('browser');
    expect(feed(asked, probed(19789, { 19793: 'nginx' })).port.probe?.stale).toBe(false);
    // The periodic probe alone turns the row free too.
    expect(portRows(feed(busy, probed(19789)), 19789)[2]!.state).toBe('free');
  });

  it('stops the cursor at both ends of every list, never wrapping (↓ on rescue stays rescue)', () => {
    const role = feed(initialState(hostFacts()), 'enter');
    expect(role.cursor).toBe(1);
    const down = feed(role, 'down', 'down');
    expect(down.cursor).toBe(1);
    expect(feed(down, 'enter').answers.role).toBe('rescue');
    expect(feed(role, 'up', 'up', 'up').cursor).toBe(0);
    const browser = feed(atPort(), probed(19789), 'enter');
    expect(browser.step).toBe('browser');
    expect(feed(browser, 'up').cursor).toBe(0);
    expect(feed(browser, 'down', 'down', 'down').cursor).toBe(1);
    const service = feed(browser, 'enter', usable);
    expect(service.cursor).toBe(0);
    expect(feed(service, 'up').cursor).toBe(0);
    expect(feed(service, 'down', 'down').cursor).toBe(1);
  });

  it('resizes', () => {
    expect(reduce(initialState(hostFacts()), { type: 'resize', columns: 120, rows: 40 }).view).toEqual({ columns: 120, rows: 40 });
  });
});

describe('the repair screen', () => {
  const findings: Finding[] = [
    { kind: 'footprint-overlap', severity: 'error', summary: 'footprint overlaps profile main', detail: [], fixable: true, fix: 'move the base' },
    { kind: 'service-mismatch', severity: 'warning', summary: 'the service runs another port', detail: [], fixable: false, fix: null },
    { kind: 'permissions', severity: 'warning', summary: 'the state dir is 0755', detail: [], fixable: true, fix: 'chmod 0700' },
  ];
  const repairing = () => initialState({ ...hostFacts({ config: '{ gateway: { port: 18800 } }' }), diagnosis: { findings } as Diagnosis });

  it('preselects every fixable finding; Space toggles, the cursor skips nothing', () => {
    const state = repairing();
    expect(selectedKinds(state)).toEqual(['footprint-overlap', 'permissions']);
    expect(selectedKinds(feed(state, 'down', 'down', 'space'))).toEqual(['footprint-overlap']);
    expect(selectedKinds(feed(state, 'down', 'space'))).toEqual(['footprint-overlap', 'permissions']);
  });

  it('stops the cursor at the first and the last finding', () => {
    expect(feed(repairing(), 'up').cursor).toBe(0);
    expect(feed(repairing(), 'down', 'down', 'down', 'down').cursor).toBe(2);
    const tab = { type: 'key', input: '\t', key: { tab: true } } as const;
    expect(feed(repairing(), tab, tab, tab).cursor).toBe(2);
  });

  it('plans, shows the plan, applies, exits 0; Esc from the plan goes back to the list', () => {
    const planning = feed(repairing(), 'enter');
    expect(planning.repair.phase).toBe('planning');
    const plan = { raw: {}, before: '', after: '', diff: ['-  "port": 18800,', '+  "port": 19789,'], actions: ['move base 18800 → 19789'], fixes: [], steps: [], notes: [], impacts: [] };
    const review = reduce(planning, { type: 'repairPlanned', plan });
    expect(review.repair.phase).toBe('review');
    expect(feed(review, 'esc').repair.phase).toBe('list');
    const applying = feed(review, 'enter');
    expect(applying.repair.phase).toBe('applying');
    expect(feed(applying, 'ctrlC').exit).toBeNull();
    const done = reduce(applying, { type: 'repaired', result: { backupPath: '/b', applied: [] } });
    expect(done.exit).toEqual({ code: 0 });
  });

  it('q leaves the profile as it is; m walks through its settings from its current values', () => {
    expect(feed(repairing(), { text: 'q' }).exit).toEqual({ code: 0 });
    const role = feed(repairing(), { text: 'm' });
    expect(role.step).toBe('role');
    expect(role.answers.base).toBe(18800);
    expect(feed(role, 'esc').step).toBe('repair');
  });

  it('says in words how it was left: q with problems left, Enter or q with nothing to repair (issue 13)', () => {
    const left = feed(repairing(), { text: 'q' });
    expect(left.repair.phase).toBe('left');
    expect(leftLines(left).map((l) => l.text)).toEqual([
      'Left profile rescue as it is: nothing was written; 3 problems remain.',
      'See them again with: epiloop --profile rescue doctor',
    ]);
    const clean = initialState({ ...hostFacts({ config: '{ gateway: { port: 19789 } }' }), diagnosis: { findings: [] } as unknown as Diagnosis });
    for (const key of ['enter', { text: 'q' }] as const) {
      const done = feed(clean, key);
      expect(done.exit).toEqual({ code: 0 });
      expect(leftLines(done).map((l) => l.text)).toEqual(['Nothing to repair: profile rescue is left as it is.']);
    }
  });

  it('says so when Enter is pressed with every fix unticked (issue 13)', () => {
    const none = feed(repairing(), 'space', 'down', 'down', 'space', 'enter');
    expect(none.repair.phase).toBe('list');
    expect(none.repair.error).toBe('Nothing is ticked: Space ticks a fix, q leaves the profile as it is.');
    expect(feed(none, 'space').repair.error).toBeNull();
  });

  it('offers no settings walk for a config it cannot read', () => {
    const broken = initialState({ ...hostFacts({ config: '{ gateway: ' }), diagnosis: { findings } as Diagnosis });
    expect(feed(broken, { text: 'm' }).step).toBe('repair');
  });
});

describe('answers', () => {
  it('start from the flags, then the config', () => {
    const state = initialState(hostFacts({ given: { role: 'main', base: 21000, workspace: '/srv/ws' } }));
    expect(state.answers).toMatchObject({ role: 'main', base: 21000, workspace: '/srv/ws' });
    expect(feed(state, proposed).answers.base).toBe(21000);
    expect(initialState(hostFacts({ config: '{ gateway: { port: 20000 }, watch: { profiles: ["main"] } }' })).answers).toMatchObject({ role: 'rescue', base: 20000 });
  });
});

describe('a burst of keys read in one chunk', () => {
  it('is split into keys, none lost: Enter ×3, digits then Enter, Ctrl-C after a letter', () => {
    const state = feed(initialState(hostFacts()), proposed, { text: '\r\r\r' });
    expect(state.step).toBe('port');
    const typed = feed(state, { text: '21000\r' }, probed(21000));
    expect(typed.step).toBe('browser');
    expect(typed.answers.base).toBe(21000);
    expect(feed(state, { text: 'x\u0003' }).exit).toEqual({ code: 130 });
  });

  it('keeps a pasted path whole in a field', () => {
    const paths = feed(initialState(hostFacts()), 'enter', 'enter', 'ctrlU', { text: '~/my bots/rescue\r' });
    expect(paths.answers.workspace).toBe(`${HOME}/my bots/rescue`);
    expect(paths.step).toBe('port');
  });
});

describe('Enter typed before raw mode is on', () => {
  it('arrives as "\\n" and still counts as Enter', () => {
    expect(feed(initialState(hostFacts()), { text: '\n' }).step).toBe('role');
  });
});

describe('a workspace typed with spaces at the edge of a folder name', () => {
  it('is refused, so the path shown (and typed again after Esc) is the path taken', () => {
    const paths = feed(initialState(hostFacts()), 'enter', 'enter');
    for (const text of ['~/ /', '~/bots /rescue', '/srv/ ws']) {
      const refused = feed(paths, 'ctrlU', { text }, 'enter');
      expect(refused.step, text).toBe('paths');
      expect(refused.field.error).toMatch(/starts or ends with a space/);
    }
    const kept = feed(paths, 'ctrlU', { text: '  ~/my bots/rescue  ' }, 'enter');
    expect(kept.answers.workspace).toBe(`${HOME}/my bots/rescue`);
    const again = feed(kept, 'esc', 'enter');
    expect(again.answers.workspace).toBe(`${HOME}/my bots/rescue`);
  });
});

describe('a workspace that is a symlink (issue 10)', () => {
  it('is taken only once the host resolved it: a link into main\'s workspace is refused on its own step', () => {
    const paths = feed(initialState(hostFacts()), 'enter', 'enter');
    expect(paths.step).toBe('paths');
    const waiting = feedRaw(paths, 'ctrlU', { text: '~/link-ws' }, 'enter');
    // Nothing taken yet: the UI resolves the path first.
    expect([waiting.step, waiting.field.resolving, waiting.field.error]).toEqual(['paths', `${HOME}/link-ws`, null]);
    const refused = reduce(waiting, { type: 'resolved', path: `${HOME}/link-ws`, real: `${HOME}/.epiloop/workspace-main/x` });
    expect(refused.step).toBe('paths');
    expect(refused.field.error).toBe("~/link-ws is inside main's workspace ~/.epiloop/workspace-main; each gateway needs its own");
    // A link somewhere of its own is taken, as typed.
    const taken = reduce(waiting, { type: 'resolved', path: `${HOME}/link-ws`, real: '/srv/bots/rescue' });
    expect([taken.step, taken.answers.workspace]).toEqual(['port', `${HOME}/link-ws`]);
  });

  it('drops an answer for a text the user has changed since', () => {
    const waiting = feedRaw(feed(initialState(hostFacts()), 'enter', 'enter'), 'ctrlU', { text: '~/a' }, 'enter');
    const edited = feedRaw(waiting, { text: 'b' });
    expect(edited.field.resolving).toBeUndefined();
    expect(reduce(edited, { type: 'resolved', path: `${HOME}/a`, real: `${HOME}/.epiloop/workspace-main` })).toBe(edited);
  });
});

describe('the reducer, key by key', () => {
  const key = (input: string, flags: Record<string, boolean> = {}) => ({ type: 'key', input, key: flags }) as const;
  const atPaths = () => feed(initialState(hostFacts()), proposed, 'enter', 'enter');
  const atBrowser = () => feed(atPort(), probed(19789), 'enter');

  it('numbers the steps of the flow from 1 and leaves repair unnumbered', () => {
    expect((['welcome', 'role', 'port', 'bind', 'summary', 'apply', 'repair'] as const).map((s) => stepNumber(s))).toEqual([1, 2, 4, 7, 8, 9, 0]);
  });

  it('starts with nothing selected to repair when there is no diagnosis', () => {
    expect(initialState(hostFacts()).repair.selected).toEqual([]);
    expect(selectedKinds(initialState(hostFacts()))).toEqual([]);
  });

  it('ignores every event once it has exited: a write that lands after Ctrl-C is never a success', () => {
    const cancelled = feed(initialState(hostFacts()), 'ctrlC');
    expect(reduce(cancelled, { type: 'applied', outcome })).toBe(cancelled);
    expect(reduce(cancelled, { type: 'resize', columns: 100, rows: 30 })).toBe(cancelled);
  });

  it('drops the rest of a burst once a key has ended the wizard', () => {
    const fix: Finding = { kind: 'permissions', severity: 'warning', summary: 'x', detail: [], fixable: true, fix: 'chmod' };
    const repairingState = initialState({ ...hostFacts({ config: '{ gateway: { port: 18800 } }' }), diagnosis: { findings: [fix] } as Diagnosis });
    const left = feed(repairingState, { text: 'q\r' });
    expect(left.exit).toEqual({ code: 0 });
    expect(left.repair.phase).toBe('left');
  });

  it('quits only on Ctrl-C: a plain "c" is text', () => {
    const paths = feed(atPaths(), 'ctrlU', { text: 'c' });
    expect(paths.exit).toBeNull();
    expect(paths.field.text).toBe('c');
  });

  it('role step: m and r pick a role, other keys do not move the cursor', () => {
    const role = feed(initialState(hostFacts()), 'enter');
    expect(feed(role, { text: 'm' }).cursor).toBe(0);
    expect(feed(role, { text: 'm' }, { text: 'R' }).cursor).toBe(1);
    expect(feed(role, 'up', { text: 'z' }).cursor).toBe(0);
    expect(feed(role, 'up', 'pageDown').cursor).toBe(0);
  });

  it('a role change follows the proposal both ways until a base is picked', () => {
    let state = feed(initialState(hostFacts()), proposed, 'enter', 'up', 'enter');
    expect(state.answers).toMatchObject({ role: 'main', base: 18900 });
    state = feed(state, 'esc', 'down', 'enter');
    expect(state.answers).toMatchObject({ role: 'rescue', base: 19789 });
    state = feed(state, 'esc', 'up', 'enter');
    expect(state.answers).toMatchObject({ role: 'main', base: 18900 });
  });

  it('an existing profile keeps its base when its role changes', () => {
    const facts = hostFacts({ config: '{ gateway: { port: 20000 } }' });
    const role = feed(initialState(facts), proposed, { text: 'm' });
    expect(role.step).toBe('role');
    expect(feed(role, 'up', 'enter').answers).toMatchObject({ role: 'main', base: 20000 });
  });

  it('text fields: typing appends printable text, Backspace and Delete remove one character, Ctrl-U clears, other control keys do nothing', () => {
    const paths = feed(atPaths(), 'ctrlU', { text: 'abc' });
    expect(paths.field.text).toBe('abc');
    expect(feed(paths, 'backspace').field.text).toBe('ab');
    expect(reduce(paths, key('', { delete: true })).field.text).toBe('ab');
    expect(feed(paths, { text: 'u' }).field.text).toBe('abcu');
    expect(reduce(paths, key('a', { ctrl: true })).field.text).toBe('abc');
    expect(reduce(paths, key('b', { meta: true })).field.text).toBe('abc');
    expect(feed(paths, { text: 'd\u0007e\u001b' }).field.text).toBe('abcde');
    expect(feed(paths, 'ctrlU').field.text).toBe('');
  });

  it("a key that types nothing leaves a field's error in place", () => {
    const refused = feed(atPaths(), 'ctrlU', { text: 'relative' }, 'enter');
    expect(refused.field.error).toMatch(/absolute path/);
    expect(feed(refused, 'up').field.error).toMatch(/absolute path/);
    expect(feed(refused, { text: 'x' }).field.error).toBeNull();
    expect(feed(refused, 'backspace').field.error).toBeNull();
  });

  it('leaving a step clears its field', () => {
    const refused = feed(atPaths(), 'ctrlU', { text: 'relative' }, 'enter');
    expect(feed(refused, 'esc').field).toEqual({ text: '', error: null });
  });

  describe('the port step', () => {
    it('a typed base the user picked survives a proposal that arrives later', () => {
      const typed = feed(initialState(hostFacts()), 'enter', 'enter', 'enter', { text: '21000' });
      expect(feed(typed, proposed).answers.base).toBe(21000);
    });

    it('the first digit replaces a --port prefill too, and a base has at most 5 digits', () => {
      const given = feed(initialState(hostFacts({ given: { base: 21000 } })), 'enter', 'enter', 'enter');
      expect(given.step).toBe('port');
      expect(given.port.text).toBe('21000');
      expect(feed(given, { text: '2' }).port.text).toBe('2');
      expect(feed(given, { text: '2' }, { text: '23456' }).port.text).toBe('22345');
    });

    it('a --port base is not replaced by the proposal', () => {
      expect(feed(initialState(hostFacts({ given: { base: 21000 } })), proposed).answers.base).toBe(21000);
    });

    it('keys that type no digit change nothing', () => {
      const port = atPort();
      expect(feed(port, { text: 'x' })).toBe(port);
    });

    it('arrows step from the number in the field, clamped to the valid bases; from the answer when the field is empty', () => {
      const partial = feed(atPort(), { text: '2' });
      expect(partial.answers.base).toBe(19789);
      expect(feed(partial, 'up').answers.base).toBe(1024);
      expect(feed(partial, 'backspace', 'down').answers.base).toBe(19788);
      expect(feed(partial, 'backspace', 'pageUp').answers.base).toBe(19889);
    });

    it('Ctrl-U empties the field; the answer stays the last valid base', () => {
      const cleared = feed(atPort(), { text: '21000' }, 'ctrlU');
      expect(cleared.port.text).toBe('');
      expect(cleared.answers.base).toBe(21000);
      expect(feed(cleared, { text: '3' }, { text: '0' }).port.text).toBe('30');
    });

    it('Enter on a field that is not a base says why, and does not wait for a probe', () => {
      const empty = feed(atPort(), { text: '2' }, 'backspace', 'enter');
      expect(empty.step).toBe('port');
      expect(empty.port.confirming).toBe(false);
      expect(empty.port.error).toMatch(/^base port: "" is not a port/);
    });

    it('a refusal or an arrow stops the wait for a probe: a late answer does not move on', () => {
      const refused = feed(atPort(), 'enter', probed(19789, { 19791: 'nginx' }));
      expect(refused.port.confirming).toBe(false);
      const moved = feed(atPort(), 'enter', 'up');
      expect(moved.port.confirming).toBe(false);
      expect(feed(moved, probed(19790)).step).toBe('port');
    });

    it('a probe that lands after Esc does not move on from the step the user went back to', () => {
      const waiting = feed(atPort(), 'enter');
      expect(waiting.port.confirming).toBe(true);
      const back = feed(waiting, 'esc', probed(19789));
      expect(back.step).toBe('paths');
    });

    it('coming back to the port step clears its old refusal', () => {
      const refused = feed(atPort(), { text: '18800' }, 'enter');
      expect(refused.port.error).not.toBeNull();
      expect(feed(refused, 'esc', 'enter').port.error).toBeNull();
    });

    it('words a refusal with the proposal when the base is not the proposal', () => {
      const facts = hostFacts();
      const bound = { ...facts.view, listeners: new Map([[19791, [{ address: '127.0.0.1', pid: 812, command: 'nginx' }]]]) };
      expect(checkBase(facts, 19789, 19789, bound)).toEqual({
        kind: 'refused',
        reason: '19791 (browser control) is bound by nginx (pid 812) on 127.0.0.1: a gateway could not listen there. Pick another base.',
        live: true,
      });
      expect(checkBase(facts, 19889, 19789, bound)).toMatchObject({ reason: expect.stringMatching(/ Pick another base \(the proposal is 19889\)\.$/) });
      expect(checkBase(facts, 19789, 19789, { ...facts.view, listeners: new Map() })).toEqual({ kind: 'ok' });
      expect(checkBase(facts, 19789, 19789, null)).toEqual({ kind: 'pending' });
      // Another profile's claim is known without a probe, and is no live holder.
      expect(checkBase(facts, 19789, 18800, null)).toMatchObject({ kind: 'refused', live: false, reason: expect.stringMatching(/inside main's/) });
    });
  });

  describe('the browser and service steps', () => {
    it('Esc while typing a URL goes back to the choice, the field cleared', () => {
      const editing = feed(atBrowser(), 'down', 'enter', { text: 'http://x' });
      const back = feed(editing, 'esc');
      expect(back).toMatchObject({ step: 'browser', editing: false, field: { text: '', error: null } });
    });

    it('prefills the URL chosen before when the remote choice is opened again', () => {
      const chosen = feed(atBrowser(), 'down', 'enter', { text: 'http://127.0.0.1:9333' }, 'enter');
      expect(chosen.step).toBe('service');
      const again = feed(chosen, 'esc', 'enter');
      expect(again).toMatchObject({ editing: true, field: { text: 'http://127.0.0.1:9333' } });
      expect(feed(atBrowser(), 'down', 'enter').field.text).toBe('');
    });

    it('an unusable manager cannot be chosen, whatever keys are pressed', () => {
      expect(feed(atBrowser(), 'enter', unusable, 'up', 'enter').answers.installService).toBe(false);
    });

    it('a manager that answers late changes neither an answer already given nor the cursor of another step', () => {
      const bind = feed(atBrowser(), 'enter', unusable, 'enter');
      expect(bind.step).toBe('bind');
      const late = reduce(bind, usable);
      expect(late.answers.installService).toBe(false);
      expect(late.cursor).toBe(bind.cursor);
      const browser = feed(atBrowser(), 'down');
      expect(reduce(browser, usable).cursor).toBe(1);
    });

    it('Esc from the next step shows the service step with the answer chosen', () => {
      const bind = feed(atBrowser(), 'enter', usable, 'down', 'enter');
      expect(feed(bind, 'esc')).toMatchObject({ step: 'service', cursor: 1 });
      expect(feed(atBrowser(), 'enter', usable, 'enter', 'esc')).toMatchObject({ step: 'service', cursor: 0 });
    });

  });

  describe('apply', () => {
    const applying = () => feed(atBrowser(), 'enter', unusable, 'enter', 'enter', 'enter');

    it('is done, and no longer running, once written', () => {
      expect(applying().step).toBe('apply');
      expect(reduce(applying(), { type: 'applied', outcome }).apply.running).toBe(false);
    });

    it('exits 1 when the config is written but the service could not be installed', () => {
      expect(reduce(applying(), { type: 'applied', outcome: { ...outcome, service: { ok: false, lines: [] } } }).exit).toEqual({ code: 1 });
    });

    it('ignores keys while writing', () => {
      const state = applying();
      expect(feed(state, 'esc')).toBe(state);
      expect(feed(state, 'enter')).toBe(state);
    });

    it('after a refusal: Esc goes back with the error cleared, Enter retries, other keys wait', () => {
      const failed = reduce(applying(), { type: 'applyFailed', message: 'refused', backTo: 'port' });
      expect(failed.apply).toEqual({ running: false, error: 'refused', backTo: 'port' });
      expect(feed(failed, 'esc').apply).toMatchObject({ running: false, error: null });
      expect(feed(failed, 'enter').apply).toEqual({ running: true, error: null, backTo: 'summary' });
      expect(feed(failed, { text: 'x' })).toBe(failed);
      // p offers nothing when Apply offered no base.
      expect(feed(failed, { text: 'p' })).toBe(failed);
    });

    it('a refusal after Ctrl-C is a plain cancel, nothing running', () => {
      const state = reduce(feed(applying(), 'ctrlC'), { type: 'applyFailed', message: 'refused', backTo: 'port' });
      expect(state).toMatchObject({ step: 'cancelled', exit: { code: 130 }, apply: { running: false } });
    });
  });

  describe('repair', () => {
    const fix: Finding = { kind: 'permissions', severity: 'warning', summary: 'the state dir is 0755', detail: [], fixable: true, fix: 'chmod 0700' };
    const repair = (list: Finding[]) => initialState({ ...hostFacts({ config: '{ gateway: { port: 18800 } }' }), diagnosis: { findings: list } as Diagnosis });
    const plan = { raw: {}, before: '', after: '', diff: [], actions: ['chmod 0700'], fixes: [], steps: [], notes: [], impacts: [] };
    const review = () => reduce(feed(repair([fix]), 'enter'), { type: 'repairPlanned', plan });

    it('with no findings: Space and arrows change nothing, Enter leaves as is', () => {
      const none = repair([]);
      expect(feed(none, 'space', 'down', 'up')).toBe(none);
      expect(feed(none, 'enter')).toMatchObject({ cursor: 0, repair: { phase: 'left' }, exit: { code: 0 } });
    });

    it('Space does nothing on a finding that has no fix', () => {
      const unfixable: Finding = { kind: 'service-mismatch', severity: 'warning', summary: 'x', detail: [], fixable: false, fix: null };
      const state = repair([fix, unfixable]);
      expect(feed(state, 'down', 'space').repair.selected).toEqual([true, false]);
    });

    it('Enter with only findings to fix by hand neither plans nor says "Space ticks a fix": there is no box to tick (new-user pass)', () => {
      const byHand: Finding = { kind: 'bind-address', severity: 'error', summary: 'x', detail: [], fixable: false, fix: 'by hand: set gateway.bind' } as Finding;
      const state = repair([byHand]);
      expect(feed(state, 'enter')).toBe(state);
      expect(feed(state, 'space')).toBe(state);
    });

    it('Enter plans only when a fix is selected', () => {
      expect(feed(repair([fix]), 'space', 'enter').repair.phase).toBe('list');
      expect(feed(repair([fix]), 'enter').repair).toMatchObject({ phase: 'planning', error: null });
    });

    it('keys wait while the plan is being made', () => {
      const planning = feed(repair([fix]), 'enter');
      expect(feed(planning, 'enter', 'esc').repair.phase).toBe('planning');
    });

    it('a plan arrives scrolled to its top', () => {
      const scrolled = { ...feed(repair([fix]), 'enter'), scroll: 5 };
      expect(reduce(scrolled, { type: 'repairPlanned', plan }).scroll).toBe(0);
    });

    it('only Enter applies the plan under review', () => {
      expect(feed(review(), { text: 'x' }).repair.phase).toBe('review');
      expect(feed(review(), 'enter').repair.phase).toBe('applying');
    });

    it('records the result when repaired', () => {
      const done = reduce(feed(review(), 'enter'), { type: 'repaired', result: { backupPath: '/b', applied: ['chmod'] } });
      expect(done.repair).toMatchObject({ phase: 'done', result: { backupPath: '/b', applied: ['chmod'] } });
    });

    it('a repair that finishes after Ctrl-C exits with 130', () => {
      const done = reduce(feed(review(), 'enter', 'ctrlC'), { type: 'repaired', result: { backupPath: '/b', applied: ['chmod'] } });
      expect(done.exit).toEqual({ code: 130 });
    });

    it('a failed repair shows why; Esc goes back to the list, plan and error cleared', () => {
      const failed = reduce(feed(review(), 'enter'), { type: 'repairFailed', message: 'disk full' });
      expect(failed.repair).toMatchObject({ phase: 'failed', error: 'disk full' });
      expect(failed.exit).toBeNull();
      expect(feed(failed, 'enter').repair.phase).toBe('failed');
      expect(feed(failed, 'esc').repair).toMatchObject({ phase: 'list', plan: null, error: null });
    });

    it('a failed repair after Ctrl-C exits with 130', () => {
      const failed = reduce(feed(review(), 'enter', 'ctrlC'), { type: 'repairFailed', message: 'disk full' });
      expect(failed).toMatchObject({ step: 'cancelled', exit: { code: 130 } });
    });
  });
});

describe('the reducer at its edges (what mutation testing found unchecked)', () => {
  const toSummary = () => feed(atPort(), probed(19789), 'enter', 'enter', unusable, 'enter', 'enter');
  const refusedAtApply = () => reduce(feed(toSummary(), 'enter'), {
      type: 'applyFailed',
      message: 'base port 19789 (from the wizard) cannot be used\n  more',
      backTo: 'port',
      refusal: { base: 19789, host: { listeners: new Map([[19791, [{ address: '127.0.0.1', pid: 4242, command: 'nginx' }]]]) }, suggestion: null },
    });

  it('arrows on a base at either end of the range step inward; from below the range or above it they give the nearest end', () => {
    expect(feed(atPort(), { text: String(MAX_BASE) }, 'down').port.text).toBe(String(MAX_BASE - 1));
    expect(feed(atPort(), { text: '1024' }, 'up').port.text).toBe('1025');
    expect(feed(atPort(), { text: '1000' }, 'pageUp').port.text).toBe('1024');
    expect(feed(atPort(), { text: String(MAX_BASE + 50) }, 'pageDown').port.text).toBe(String(MAX_BASE));
  });

  it("refuses a base inside another profile's block at once, even with a probe of it in hand", () => {
    const state = feed(atPort(), { text: '18800' }, probed(18800), 'enter');
    expect(state.port.probe?.base).toBe(18800);
    expect(state.port.confirming).toBe(false);
    expect(state.port.error).toMatch(/inside main's/);
  });

  it('p on the Apply screen clears its refusal: the port step shows no error of Apply', () => {
    const listeners = new Map([[19791, [{ address: '127.0.0.1', pid: 4242, command: 'nginx' }]]]);
    const failed = reduce(feed(toSummary(), 'enter'), { type: 'applyFailed', message: 'refused', backTo: 'port', refusal: { base: 19789, host: { listeners }, suggestion: 20009 } });
    const taken = feed(failed, { text: 'p' });
    expect(taken.step).toBe('port');
    expect(taken.apply).toMatchObject({ running: false, error: null });
  });

  it("keeps Apply's refusal while the base stays the same: p giving the same base does not hide it", () => {
    const back = feed(refusedAtApply(), 'esc');
    expect(back.step).toBe('port');
    expect(back.port.refused).toBe('base port 19789 (from the wizard) cannot be used');
    const same = feed(back, { text: 'p' });
    expect(same.answers.base).toBe(19789);
    expect(same.port.refused).toBe('base port 19789 (from the wizard) cannot be used');
    expect(feed(back, 'up').port.refused).toBeNull();
  });

  it('Ctrl-C on the summary and on welcome reached by Esc quits at once: nothing is being written there', () => {
    const quit = feed(toSummary(), 'ctrlC');
    expect(quit).toMatchObject({ step: 'cancelled', exit: { code: 130 }, cancelRequested: false });
    const welcome = feed(initialState(hostFacts()), 'enter', 'esc');
    expect(welcome.step).toBe('welcome');
    expect(welcome.apply.running).toBe(false);
    expect(feed(welcome, 'ctrlC')).toMatchObject({ step: 'cancelled', exit: { code: 130 } });
  });

  it('--install-service where no manager is usable: Enter takes the only answer there is, none', () => {
    const service = feed(initialState(hostFacts({ given: { installService: true } })), proposed, 'enter', 'enter', 'enter', probed(19789), 'enter', 'enter');
    expect(service.step).toBe('service');
    const closed = feed(service, unusable);
    expect(closed.cursor).toBe(0);
    const answered = feed(closed, 'enter');
    expect(answered.step).toBe('bind');
    expect(answered.answers.installService).toBe(false);
  });

  it('drops the host\'s answer about a path once the user has left its step', () => {
    const waiting = feedRaw(feed(initialState(hostFacts()), 'enter', 'enter'), 'ctrlU', { text: '~/a' }, 'enter');
    const welcome = feedRaw(waiting, 'esc', 'esc');
    expect(welcome.step).toBe('welcome');
    expect(reduce(welcome, { type: 'resolved', path: `${HOME}/a`, real: `${HOME}/a` })).toBe(welcome);
  });
});

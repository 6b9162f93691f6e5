import { describe, expect, it } from 'vitest';
import { hangOf, oneLine, visibleLength, wrapAll, wrapText } from '../../../src/core/text/wrap';

describe('wrapText: wrapped, never cut', () => {
  it('reads a message of several lines as one line: each break and the indent after it one space, after a "." or ";" where the line had no punctuation', () => {
    expect(oneLine('cannot start:\n  port 18789 is held on 127.0.0.1 \nNothing was bound.')).toBe('cannot start: port 18789 is held on 127.0.0.1. Nothing was bound.');
    expect(oneLine('cannot start:\n  port 18789: no address (gateway.bind)\n  port 18791: no address\n')).toBe('cannot start: port 18789: no address (gateway.bind); port 18791: no address');
    expect(oneLine('one line')).toBe('one line');
  });

  it('keeps a line that fits as it is', () => {
    expect(wrapText('  short line', 40)).toEqual(['  short line']);
  });

  it('breaks between words and keeps the leading indent on every continuation', () => {
    const lines = wrapText('    fix: set the mode of the config to 0600 so no other user reads it', 30);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(30);
    expect(lines.slice(1).every((l) => l.startsWith('    ') && !l.startsWith('     '))).toBe(true);
    expect(lines.join(' ').replace(/ +/g, ' ').trim()).toBe('fix: set the mode of the config to 0600 so no other user reads it');
  });

  it('takes a hanging indent: a table cell or a list item continues under its own text', () => {
    expect(wrapText('  state dir  ~/.epiloop-main (fixed by the profile)', 30, 13)).toEqual([
      '  state dir  ~/.epiloop-main',
      '             (fixed by the',
      '             profile)',
    ]);
  });

  it('splits a word longer than the room (a long path) instead of overflowing', () => {
    const lines = wrapText('  /a/very/long/path/without/any/space/in/it', 20);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(20);
    expect(lines.join('').replace(/ /g, '')).toBe('/a/very/long/path/without/any/space/in/it');
  });

  it('splits a path too long for the room after a slash, not inside a name (a new user read "epiloop.j" / "son" at 40 columns)', () => {
    expect(wrapText('  config     ~/.epiloop-rescue/epiloop.json', 40, 13)).toEqual(['  config     ~/.epiloop-rescue/', '             epiloop.json']);
    // A name longer than the room is still split at the room: nothing is lost.
    expect(wrapText('/tmp/averyveryverylongnamewithoutanyslash', 12).join('')).toBe('/tmp/averyveryverylongnamewithoutanyslash');
    expect(wrapText('/averyveryverylongname', 12)).toEqual(['/averyveryve', 'rylongname']);
  });

  it('counts colour sequences as nothing', () => {
    const red = '\u001b[31mbound\u001b[39m';
    expect(visibleLength(red)).toBe(5);
    expect(wrapText(`ab ${red} cd`, 11)).toEqual([`ab ${red} cd`]);
  });

  it('wraps a body line by line, each continuation in its own tone', () => {
    expect(wrapAll([{ text: 'one two three', tone: 'warn' }], 8)).toEqual([
      { text: 'one two', tone: 'warn' },
      { text: 'three', tone: 'warn' },
    ]);
  });
});

describe('wrapText: a command to run is never broken inside (the new-user pass at 80 and 60 columns)', () => {
  const fits = (lines: string[], width: number) => lines.every((l) => visibleLength(l) <= width);

  it('wraps before a command named after "run" rather than inside it ("re-run epiloop" / "--profile lab onboard" at 60 columns)', () => {
    const lines = wrapText('  Fix: epiloop --profile lab doctor --fix or re-run epiloop --profile lab onboard.', 60, 2);
    expect(lines).toEqual(['  Fix: epiloop --profile lab doctor --fix or re-run', '  epiloop --profile lab onboard.']);
  });

  it('moves a quoted command whole to the next line (status\'s Alerts line at 80 columns)', () => {
    const lines = wrapText('Alerts: none; a change of state is only written to watch.log ("epiloop --profile rescue watch test" shows how to add a sink)', 80);
    expect(lines).toEqual(['Alerts: none; a change of state is only written to watch.log', '("epiloop --profile rescue watch test" shows how to add a sink)']);
  });

  it('keeps a command at the end of a sentence whole, its quoted arguments with it (config set\'s hint at 80 columns)', () => {
    const hint = "Set the whole item at once: epiloop --profile rescue config set 'watch.alerts[0]' '{ type: …, url: … }'";
    expect(wrapText(hint, 80)).toEqual(['Set the whole item at once:', "epiloop --profile rescue config set 'watch.alerts[0]' '{ type: …, url: … }'"]);
  });

  it('reads a command in colour as one without colour', () => {
    const cyan = (text: string) => `\u001b[36m${text}\u001b[39m`;
    const lines = wrapText(`  Fix: ${cyan('epiloop --profile lab doctor --fix')} or re-run ${cyan('epiloop --profile lab onboard')}.`, 60, 2);
    expect(lines.map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''))).toEqual(['  Fix: epiloop --profile lab doctor --fix or re-run', '  epiloop --profile lab onboard.']);
  });

  it('ends an unquoted command where its sentence goes on: before "or", before a parenthesis, after its punctuation', () => {
    expect(wrapText('Create one: epiloop setup (default profile) or epiloop --profile rescue setup.', 40)).toEqual(['Create one: epiloop setup (default', 'profile) or', 'epiloop --profile rescue setup.']);
    expect(wrapText('Start it without one (epiloop --profile rescue start), and delete the file', 40)).toEqual(['Start it without one', '(epiloop --profile rescue start), and', 'delete the file']);
  });

  it('breaks a command wider than the line between its words, nothing lost', () => {
    const text = "Set it: epiloop --profile rescue config set 'watch.alerts[0]' '{ type: …, url: … }'";
    const lines = wrapText(text, 30);
    expect(fits(lines, 30)).toBe(true);
    expect(lines.join(' ')).toBe(text);
  });
});

describe('hangOf: a body line continues under its value', () => {
  it('hangs under the value of a "label  value" line', () => {
    expect(hangOf('  config   ~/.epiloop-main/epiloop.json (0600)', 60)).toBe(11);
    expect(wrapAll([{ text: '  service  not installed; run the gateway with: epiloop --profile main gateway' }], 60).map((l) => l.text)).toEqual([
      '  service  not installed; run the gateway with:',
      '           epiloop --profile main gateway',
    ]);
  });

  it('hangs under the line start where there is no label, or the value would have no room', () => {
    expect(hangOf('  one sentence with single spaces', 60)).toBe(2);
    expect(hangOf('  a very long command line that is the label  what it does', 40)).toBe(2);
  });

  it('hangs under the text of a list item: "! …", "• …", "note: …" (the repair review\'s lists)', () => {
    expect(hangOf('  ! the auth token is replaced', 60)).toBe(4);
    expect(hangOf('  • create ~/.epiloop-main (0700)', 60)).toBe(4);
    expect(hangOf('  note: restart it', 60)).toBe(8);
    expect(hangOf('  !important is one word', 60)).toBe(2);
  });

  it('measures a line that starts with a colour code as it is seen (doctor --fix\'s yellow "note:" lines)', () => {
    const yellow = (text: string) => `\u001b[33m${text}\u001b[39m`;
    expect(hangOf(yellow('  note: the gateway reads its config when it starts'), 60)).toBe(8);
    expect(hangOf(yellow('  config   ~/.epiloop-main/epiloop.json'), 60)).toBe(11);
    expect(hangOf(yellow('  ⚠ the gateway is stopped'), 40)).toBe(4);
  });

  it('hangs a finding under its text, past its mark (✖, ⚠, ✔, ✘, !)', () => {
    expect(hangOf('✖ gateway.port is 99999, but must be a port whose footprint fits below 65536', 40)).toBe(2);
    expect(hangOf('  ⚠ the gateway is stopped', 40)).toBe(4);
    expect(wrapAll([{ text: '! gateway.bind "10.0.0.5" is not an address of this host' }], 30).map((l) => l.text)).toEqual(['! gateway.bind "10.0.0.5" is', '  not an address of this host']);
  });
});

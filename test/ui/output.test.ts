import { describe, expect, it } from 'vitest';
import { createOutput } from '../../src/ui/output';

/** An Output writing into strings, with colour on as on a terminal. */
function outputs(color: boolean) {
  const written = { stdout: '', stderr: '' };
  const stream = (key: 'stdout' | 'stderr') => ({ isTTY: color, columns: 80, write: (text: string) => ((written[key] += text), true) }) as unknown as NodeJS.WriteStream;
  const out = createOutput({ stdout: stream('stdout'), stderr: stream('stderr'), env: color ? { FORCE_COLOR: '1' } : {} });
  return { out, written };
}

describe('output escapes what a value carries, never its own colours', () => {
  it('a line keeps epiloop\'s colours and line breaks, and shows every other control character', () => {
    const { out, written } = outputs(true);
    out.line(`${out.red('✖')} workspace ~/ws\u001b]0;pwned\u0007\u001b[2J\r\u009b31m\u202eexe\nnext`);
    out.error('x\u001b[31my');
    expect(written.stdout).toBe('\u001b[31m✖\u001b[39m workspace ~/ws\\e]0;pwned\\x07\\e[2J\\r\\x9b31m\\u202eexe\nnext\n');
    // A value's colour sequence in epiloop's palette passes where colour is on (it can colour, never move, clear, retitle or hide).
    expect(written.stderr).toBe('x\u001b[31my\n');
  });

  it('a value\'s colour sequence passes only where epiloop paints, and only in epiloop\'s palette (issue 12, escape codes in config values)', () => {
    // Colour off (a pipe, a file, NO_COLOR): no sequence is epiloop's own, so none passes.
    const plain = outputs(false);
    plain.out.line('⚠ the workspace /tmp/a\u001b[31mRED\u001b[8mhidden does not exist');
    expect(plain.written.stdout).toBe('⚠ the workspace /tmp/a\\e[31mRED\\e[8mhidden does not exist\n');
    // Colour on: what could hide or blink text (conceal, black on black, blink) is not in the palette.
    const { out, written } = outputs(true);
    out.line(`${out.yellow('⚠')} x\u001b[8my\u001b[30;40mz\u001b[5mw`);
    expect(written.stdout).toBe('\u001b[33m⚠\u001b[39m x\\e[8my\\e[30;40mz\\e[5mw\n');
  });

  it('JSON stays valid JSON, with DEL, C1 and bidi characters as \\u escapes', () => {
    const { out, written } = outputs(false);
    const value = { workspace: '~/ws\u001b[2J\u007f\u009b\u202e\u2028' };
    out.json(value);
    expect(written.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]/);
    expect(JSON.parse(written.stdout)).toEqual(value);
  });
});

describe('a long line on a terminal', () => {
  function terminal(columns: number, isTTY = true) {
    const written = { stdout: '', stderr: '' };
    const stream = (key: 'stdout' | 'stderr') => ({ isTTY, columns, write: (text: string) => ((written[key] += text), true) }) as unknown as NodeJS.WriteStream;
    return { out: createOutput({ stdout: stream('stdout'), stderr: stream('stderr'), env: {} }), written };
  }

  it('is wrapped between words, so a command in it is never split mid-word (a new user saw "epiloop --profile ma|in doctor --fix")', () => {
    const { out, written } = terminal(60);
    const message = 'epiloop: the gateway of profile "main" refuses to start with this config. Fix it with "epiloop --profile main doctor --fix" (or "epiloop --profile main setup", which adds a missing token).';
    out.error(message);
    const lines = written.stderr.trimEnd().split('\n');
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(lines.join(' ')).toBe(message);
    // Every word whole on one line: "main" is never "ma" + "in".
    const words = new Set(lines.flatMap((l) => l.split(' ')));
    for (const word of message.split(' ')) expect(words.has(word), word).toBe(true);
  });

  it('keeps a "label  value" line\'s continuation under its value, and leaves a line that fits alone', () => {
    const { out, written } = terminal(40);
    out.line('  workspace  /home/ada/a/very/long/path and some more words here');
    out.line('  short  fits');
    expect(written.stdout).toBe('  workspace  /home/ada/a/very/long/path\n             and some more words here\n  short  fits\n');
  });

  it('in colour, continues a coloured "  note: …" line under its text as without colour (doctor --fix\'s notes)', () => {
    const written = { stdout: '' };
    const stdout = { isTTY: true, columns: 40, write: (text: string) => ((written.stdout += text), true) } as unknown as NodeJS.WriteStream;
    const out = createOutput({ stdout, stderr: stdout, env: { FORCE_COLOR: '1' } });
    out.line(out.yellow('  note: the gateway reads its config only when it starts'));
    const lines = written.stdout.replace(/\u001b\[[0-9;]*m/g, '').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line, lines.join('\n')).toMatch(/^ {8}\S/);
  });

  it('goes to a pipe as one line, for scripts', () => {
    const { out, written } = terminal(40, false);
    const long = 'word '.repeat(30).trim();
    out.line(long);
    expect(written.stdout).toBe(`${long}\n`);
  });
});

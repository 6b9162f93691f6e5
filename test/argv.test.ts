import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseFlags, type FlagSpec } from '../src/argv';
import { command } from '../src/commands/context';
import { UsageError } from '../src/core/errors';
import { DOCTOR_FLAGS, NO_FLAGS, ONBOARD_FLAGS, SETUP_FLAGS } from '../src/flags';

const flags: FlagSpec[] = [
  { name: 'port', type: 'number', placeholder: '<port>', help: '' },
  { name: 'workspace', type: 'string', placeholder: '<dir>', help: '' },
  { name: 'install-service', type: 'boolean', negatable: true, help: '' },
  { name: 'json', type: 'boolean', help: '' },
];
const parse = (tokens: string[]) => parseFlags(tokens, { commandName: 'epiloop setup', flags });

describe('parseFlags', () => {
  it('reads values in both spellings, booleans and negations', () => {
    expect(parse(['--port', '19789', '--workspace=/w', '--no-install-service', '--json']).flags).toEqual({
      port: 19789,
      workspace: '/w',
      'install-service': false,
      json: true,
    });
  });

  it('names an unknown flag and suggests the closest', () => {
    expect(() => parse(['--prot', '1'])).toThrow(/unknown option --prot for "epiloop setup". Did you mean --port\?/);
  });

  it('points an option another command takes to that command, instead of only "unknown" (a new user tried status --all)', () => {
    const elsewhere = (option: string) => (option === '--all' ? 'to see every profile, run "epiloop list"' : null);
    expect(() => parseFlags(['--all'], { commandName: 'epiloop status', flags, elsewhere })).toThrow('unknown option --all for "epiloop status"; to see every profile, run "epiloop list".');
    expect(() => parseFlags(['--prot'], { commandName: 'epiloop setup', flags, elsewhere })).toThrow(/Did you mean --port\?/);
  });

  it('says where a value starting with "-" goes, with the command that takes it', () => {
    const message = (tokens: string[], invocation?: string) => {
      try {
        parseFlags(tokens, { commandName: 'epiloop config set', flags, invocation });
      } catch (error) {
        return (error as Error).message;
      }
      return 'parsed';
    };
    for (const value of ['-1', '-Infinity']) {
      expect(message(['gateway.port', value])).toContain(`unknown option ${value} for "epiloop config set". A value starting with "-" goes after "--": epiloop config set gateway.port -- ${value}`);
    }
    expect(message(['gateway.port', '-1'], 'epiloop --profile rescue config set')).toContain('epiloop --profile rescue config set gateway.port -- -1');
    // A long option that is not one is a misspelt option, not a value.
    expect(message(['--prot', '1'])).not.toContain('goes after');
  });

  it('explains a missing or malformed value', () => {
    expect(() => parse(['--port'])).toThrow(/--port needs a value, e.g. --port 19789/);
    expect(() => parse(['--port', 'abc'])).toThrow(/whole number/);
  });

  it('refuses a flag given twice with different values', () => {
    expect(() => parse(['--port', '1', '--port', '2'])).toThrow(UsageError);
    expect(parse(['--port', '1', '--port', '1']).flags.port).toBe(1);
  });

  it('keeps positionals and stops at --', () => {
    expect(parse(['a', '--json', '--', '--port']).positionals).toEqual(['a', '--port']);
  });
});

describe('typed flags', () => {
  it('gives each command the flags its table parses to, and nothing else', () => {
    const { flags } = parseFlags(['--port', '19789', '--force'], { commandName: 'epiloop setup', flags: SETUP_FLAGS });
    expectTypeOf(flags).toEqualTypeOf<{ readonly port?: number; readonly workspace?: string; readonly force?: boolean }>();
    expect(flags).toEqual({ port: 19789, force: true });
    // @ts-expect-error setup has no --target
    expect(flags.target).toBeUndefined();
    const onboard = parseFlags(['--no-install-service', '-y'], { commandName: 'epiloop onboard', flags: ONBOARD_FLAGS }).flags;
    expectTypeOf(onboard.yes).toEqualTypeOf<boolean | undefined>();
    expect(onboard).toEqual({ 'install-service': false, yes: true });
    expectTypeOf(parseFlags([], { commandName: 'epiloop gateway restart', flags: NO_FLAGS }).flags).toEqualTypeOf<{}>();
  });

  it('refuses, when compiling, a command whose code expects another table\'s flags', () => {
    const doctor = { path: ['doctor'], summary: '', flags: DOCTOR_FLAGS, load: () => import('../src/commands/doctor') };
    expect(command(doctor).flags).toBe(DOCTOR_FLAGS);
    // @ts-expect-error doctor's run takes doctor's flags, not setup's
    expect(command({ ...doctor, flags: SETUP_FLAGS }).flags).toBe(SETUP_FLAGS);
  });
});

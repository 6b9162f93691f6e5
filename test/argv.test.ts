import { describe, expect, it } from 'vitest';
import { parseFlags, suggest, type FlagSpec } from '../src/argv';
import { UsageError } from '../src/core/errors';

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

  it('suggests only close words', () => {
    expect(suggest('stauts', ['status', 'setup'])).toBe('status');
    expect(suggest('zzzzzz', ['status'])).toBeNull();
  });
});

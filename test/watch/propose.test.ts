import { expect, it } from 'vitest';
import { proposeWatch, unwatchedProposal } from '../../src/core/watch/propose';

it('a rescue watches main, else the default profile, else nothing; a main watches nothing', () => {
  expect(proposeWatch('rescue', ['default', 'main', 'work'])).toEqual(['main']);
  expect(proposeWatch('rescue', ['work', 'default'])).toEqual(['default']);
  expect(proposeWatch('rescue', ['work'])).toEqual([]);
  expect(proposeWatch('rescue', [])).toEqual([]);
  expect(proposeWatch('main', ['default', 'rescue'])).toEqual([]);
});

it("names for a rescue that watches nothing whom the wizard's rescue would watch, and nothing otherwise", () => {
  expect(unwatchedProposal('rescue', undefined, ['main', 'work'])).toEqual(['main']);
  expect(unwatchedProposal('rescue', [], ['default'])).toEqual(['default']);
  expect(unwatchedProposal('rescue', ['work'], ['main', 'work'])).toEqual([]);
  expect(unwatchedProposal('rescue', undefined, ['work'])).toEqual([]);
  expect(unwatchedProposal('main', undefined, ['rescue'])).toEqual([]);
  expect(unwatchedProposal(null, undefined, ['main', 'rescue'])).toEqual([]);
  expect(unwatchedProposal('lab', undefined, ['main'])).toEqual([]);
});

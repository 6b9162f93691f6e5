import { expect, it } from 'vitest';
import { proposeWatch } from '../../src/core/watch/propose';

it('a rescue watches main, else the default profile, else nothing; a main watches nothing', () => {
  expect(proposeWatch('rescue', ['default', 'main', 'work'])).toEqual(['main']);
  expect(proposeWatch('rescue', ['work', 'default'])).toEqual(['default']);
  expect(proposeWatch('rescue', ['work'])).toEqual([]);
  expect(proposeWatch('rescue', [])).toEqual([]);
  expect(proposeWatch('main', ['default', 'rescue'])).toEqual([]);
});

/** What config set offers instead of a refused watch.profiles entry, wherever it sits in the list. */
import { describe, expect, it } from 'vitest';
import { watchHints } from '../../src/core/config/watch-hints';
import type { SchemaProblem } from '../../src/core/config/schema';

const at = (i: number): SchemaProblem => ({ path: `watch.profiles[${i}]`, value: '"x"', allowed: 'another profile' });
const host = (list: unknown[], others: string[]) => ({ list, others, self: 'rescue', invocation: 'epiloop --profile rescue' });

describe('watchHints', () => {
  it('offers a profile it does not watch yet, at the index refused', () => {
    expect(watchHints([at(1)], host(['main', 'main'], ['main', 'work']))).toEqual([`Watch another profile of this host instead (work): epiloop --profile rescue config set 'watch.profiles[1]' work`]);
    expect(watchHints([at(1)], host(['main', 'rescue'], ['main', 'work']))).toEqual([`Watch another profile of this host instead (work): epiloop --profile rescue config set 'watch.profiles[1]' work`]);
  });

  it('says how to add a profile when it watches every one there is, or there is none', () => {
    expect(watchHints([at(1)], host(['main', 'main'], ['main']))).toEqual(['It watches every other profile of this host already (main); to watch one more, set it up first: epiloop --profile <name> onboard']);
    expect(watchHints([at(0)], host(['rescue'], []))).toEqual(['No other profile is set up on this host; to watch one, set it up first: epiloop --profile <name> onboard']);
  });

  it('a name in capitals: the profile of that name, else its lower-case name and what it could watch; never itself or one listed', () => {
    const why = 'Names are lower case so that "Foo" and "foo" can never be two profiles.';
    expect(watchHints([at(0)], host(['Main'], ['main']))).toEqual([`Did you mean "main"? ${why} Watch it with: epiloop --profile rescue config set 'watch.profiles[0]' main`]);
    expect(watchHints([at(0)], host(['Ghost'], ['main']))).toEqual([`Did you mean "ghost"? ${why}`, `Watch another profile of this host instead (main): epiloop --profile rescue config set 'watch.profiles[0]' main`]);
    expect(watchHints([at(0)], host(['Rescue'], ['main']))).toEqual([`Watch another profile of this host instead (main): epiloop --profile rescue config set 'watch.profiles[0]' main`]);
    expect(watchHints([at(1)], host(['main', 'Main'], ['main']))[0]).toMatch(/^It watches every other profile/);
  });

  it('says nothing of entries not refused', () => {
    expect(watchHints([], host(['main', 'main'], ['main', 'work']))).toEqual([]);
    expect(watchHints([{ ...at(0), path: 'watch.intervalMs' }], host(['main'], ['work']))).toEqual([]);
  });
});

/**
 * A profile a rescue rolled back knows it: its own status (and doctor, as a note, never a
 * failure) says when and by which profile its config was rolled back, and where the config it
 * replaced is kept, for as long as the config is the one the rollback restored.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseRolledBack, renderRolledBack, rolledBackWords, stillRolledBack, type RolledBackRecord } from '../../src/core/watch/rolled-back';
import { runCli } from '../helpers/cli';
import { tempHome } from '../helpers/home';
import { writeLastGood } from '../helpers/last-good';
import { setupProfile } from '../gateway/gateways';
import { untilTitle } from './recorder';
import { changedSinceLastGood, rollingBackWatcher } from './support';

const RECORDED_AT = '2026-01-02T03:04:05.000Z';
const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
const BACKUP = '~/\\.epiloop-main/epiloop\\.json\\.\\d{8}T\\d{9}Z\\.bak';

/** main's status (text folded to one line, and --json) and doctor (text and --json). */
async function mainSays(env: Record<string, string>) {
  const [text, json, doctor, doctorJson] = await Promise.all([
    runCli(['--profile', 'main', 'status'], { env }),
    runCli(['--profile', 'main', 'status', '--json'], { env }),
    runCli(['--profile', 'main', 'doctor'], { env }),
    runCli(['--profile', 'main', 'doctor', '--json'], { env }),
  ]);
  return { text: text.stdout.replace(/\s+/g, ' '), json: JSON.parse(json.stdout), doctor: { code: doctor.code, text: doctor.stdout.replace(/\s+/g, ' ') }, doctorJson: JSON.parse(doctorJson.stdout) };
}

describe('a profile rolled back by a rescue says so', () => {
  it('after watch.rollback "auto": status and doctor say when, by which rescue, and where the replaced config is kept, until the config changes again', async () => {
    const { home, env } = await tempHome();
    const { self, main, good } = await changedSinceLastGood(home, RECORDED_AT);
    const before = await mainSays(env);
    expect(before.text).not.toMatch(/rolled back/i);
    expect(before.json.rolledBack).toBeNull();
    const file = `${home}/events.jsonl`;
    const watcher = rollingBackWatcher(home, self, main, file);
    try {
      await untilTitle(file, "rolled back main's config; main stays down until it is started", 6000);
    } finally {
      await watcher.stop(1500);
    }
    expect(await readFile(main.configPath, 'utf8')).toBe(good);

    const after = await mainSays(env);
    const words = new RegExp(`rolled back at ${ISO} by rescue "rescue" \\(watch\\.rollback "auto"\\) to its last-known-good config of ${RECORDED_AT}; the config it replaced is kept as ${BACKUP}`);
    expect(after.text).toMatch(words);
    expect(after.json.rolledBack).toEqual({ at: expect.stringMatching(new RegExp(`^${ISO}$`)), by: 'rescue', automatic: true, command: null, lastGood: RECORDED_AT, backupPath: expect.stringMatching(/\/\.epiloop-main\/epiloop\.json\.\d{8}T\d{9}Z\.bak$/) });
    // Not a problem: what status lists, and how doctor exits, are what they were before (main is down either way).
    expect((after.json.problems as string[]).join('\n')).not.toMatch(/rolled back/i);
    expect(after.json.problems).toHaveLength(before.json.problems.length);
    expect(after.doctor.text).toMatch(new RegExp(`note: R${words.source.slice(1)}\\.`));
    expect(after.doctor.code).toBe(before.doctor.code);
    expect(after.doctorJson.rolledBack).toEqual(after.json.rolledBack);
    expect(after.doctorJson.findings.map((f: { summary: string }) => f.summary).join('\n')).not.toMatch(/rolled back/i);

    // The user changes the config: the rollback is history, no longer said.
    expect((await runCli(['--profile', 'main', 'config', 'set', 'logs.keepFiles', '3'], { env })).code).toBe(0);
    const changed = await mainSays(env);
    expect([changed.text, changed.doctor.text].join('\n')).not.toMatch(/rolled back/i);
    expect([changed.json.rolledBack, changed.doctorJson.rolledBack]).toEqual([null, null]);
  }, 30_000);

  it('after doctor --target main --rollback from the rescue profile: status names that profile and the command', { timeout: 30_000 }, async () => {
    const { env } = await tempHome();
    const main = await setupProfile(env, 'main');
    await setupProfile(env, 'rescue');
    const good = await readFile(main.configPath, 'utf8');
    await writeLastGood(main.configPath, good, new Date(RECORDED_AT));
    expect((await runCli(['--profile', 'main', 'config', 'set', 'gateway.auth.token', 'another-token-of-more-than-16'], { env })).code).toBe(0);
    const rolled = await runCli(['--profile', 'rescue', 'doctor', '--target', 'main', '--rollback', '--yes'], { env });
    expect(rolled.code, rolled.stdout + rolled.stderr).toBe(0);
    const after = await mainSays(env);
    expect(after.text).toMatch(new RegExp(`rolled back at ${ISO} by profile "rescue" \\("epiloop --profile rescue doctor --target main --rollback"\\) to its last-known-good config of ${RECORDED_AT}; the config it replaced is kept as ${BACKUP}`));
    expect(after.json.rolledBack).toMatchObject({ by: 'rescue', automatic: false, lastGood: RECORDED_AT });
  });
});

describe('rolled-back.json, judged', () => {
  const record: RolledBackRecord = { version: 1, at: '2026-01-03T00:00:00.000Z', by: null, automatic: false, command: 'epiloop doctor --rollback', sha256: 'a'.repeat(64), lastGood: RECORDED_AT, backupPath: null };

  it('is said while the config is the restored bytes, and not once they differ', () => {
    expect(stillRolledBack(record, 'a'.repeat(64))).toEqual({ at: record.at, by: null, automatic: false, command: 'epiloop doctor --rollback', lastGood: RECORDED_AT, backupPath: null });
    expect(stillRolledBack(record, 'b'.repeat(64))).toBeNull();
    expect(stillRolledBack(record, null)).toBeNull();
    expect(stillRolledBack(null, 'a'.repeat(64))).toBeNull();
  });

  it('reads back what it writes, and trusts no record that is not whole', () => {
    expect(parseRolledBack(renderRolledBack(record))).toEqual(record);
    for (const broken of ['', 'null', '{}', JSON.stringify({ ...record, version: 2 }), JSON.stringify({ ...record, sha256: 'x' }), JSON.stringify({ ...record, at: 'never' }), JSON.stringify({ ...record, by: 3 }), JSON.stringify({ ...record, automatic: 'yes' })]) {
      expect(parseRolledBack(broken), broken).toBeNull();
    }
  });

  it('names who rolled it back: the profile itself by its command, and that there was no config to keep', () => {
    expect(rolledBackWords(stillRolledBack(record, record.sha256)!, '/home/ada')).toBe(
      `rolled back at 2026-01-03T00:00:00.000Z with "epiloop doctor --rollback" to its last-known-good config of ${RECORDED_AT}; there was no config file before it`,
    );
  });
});

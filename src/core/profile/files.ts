/**
 * What epiloop reads as a profile's file (its config, the config-path pointer, its
 * gateway.lock, a service unit): a regular file inside the profile's own dirs, small and
 * shallow. A file that is not is refused with a reason, as a value: one profile's broken
 * or hostile file is a finding in that profile's row, never a failure of another's command.
 */

export const MAX_FILE_BYTES = 1024 * 1024;
/** Deep enough for any config a person writes; shallow enough that no parser or printer can run out of stack. */
export const MAX_CONFIG_DEPTH = 64;

export type FileRefusal =
  /** A directory, FIFO, socket or device: never opened for reading. */
  | { kind: 'not-regular'; type: string }
  /** A symlink that resolves outside the profile's dirs. */
  | { kind: 'outside'; target: string }
  /** A symlink that leads to no file: its target is missing, or (`loop`) links lead on in a circle. */
  | { kind: 'dangling'; target: string; loop?: boolean }
  /** EACCES / EPERM: e.g. a root-owned file after a `sudo` mistake. */
  | { kind: 'unreadable' }
  | { kind: 'too-large'; bytes: number }
  | { kind: 'too-deep'; line: number; column: number }
  | { kind: 'io'; message: string };

export interface RefusalWords {
  /** What is wrong with the file. */
  problem: string;
  /** What epiloop accepts instead. */
  allowed: string;
  /** What a person runs, by hand (the automatic repairs say their own words). */
  fix: string;
}

/** A word a POSIX shell reads as this path: as shown when it needs no quoting, else the absolute path quoted. */
export function shellWord(shown: string, absolute: string): string {
  return /^[\w./~+-]+$/.test(shown) ? shown : `'${absolute.replace(/'/g, `'\\''`)}'`;
}

const MIB = `${MAX_FILE_BYTES / 1024 / 1024} MiB`;

/** Who asks the store to write, in the words its refusal uses: what would be too large or deep, and what to do instead. */
export interface WriterWords {
  /** What would be written, e.g. `the repaired ~/.epiloop/epiloop.json`. */
  subject: string;
  /** What to do instead: one sentence. */
  fix: string;
}

/**
 * Why a writer refuses text the reader would refuse (larger than it reads, nested deeper than
 * it parses), so it writes nothing. `writer` words it for who asked; by default a value set.
 */
export function refusedWrite(
  shown: string,
  refusal: Extract<FileRefusal, { kind: 'too-large' | 'too-deep' }>,
  writer?: WriterWords,
): string {
  const subject = writer?.subject ?? shown;
  if (refusal.kind === 'too-large') {
    const fix = writer?.fix ?? 'Make the value smaller, or unset keys the config no longer needs.';
    return `${subject} would be ${refusal.bytes} bytes, over the ${MIB} (${MAX_FILE_BYTES} bytes) epiloop reads back; nothing was written. ${fix}`;
  }
  const fix = writer?.fix ?? `Use a shorter key path or a flatter value: a config nests at most ${MAX_CONFIG_DEPTH} levels.`;
  return `${subject} would nest deeper than the ${MAX_CONFIG_DEPTH} levels epiloop reads back; nothing was written. ${fix}`;
}

/** The words for a refused config: `file` is the absolute path, `shown` how to print it, `invocation` the profile's command line. */
export function refusalWords(refusal: FileRefusal, file: { absolute: string; shown: string }, invocation: string): RefusalWords {
  const f = file.shown;
  const word = shellWord(file.shown, file.absolute);
  const allowed = `a config is a regular file of JSON5, at most ${MIB} (${MAX_FILE_BYTES} bytes), nested at most ${MAX_CONFIG_DEPTH} levels, inside its profile's dirs`;
  const fresh = `then "${invocation} setup" writes a fresh one`;
  switch (refusal.kind) {
    case 'not-regular':
      return { problem: `${f} is a ${refusal.type}, not a regular file; it was not opened`, allowed, fix: `move it away (mv ${word} ${word}.aside), ${fresh}` };
    case 'outside':
      return {
        problem: `${f} is a symlink to ${refusal.target}, outside its profile's dirs; it was not read`,
        allowed: `${allowed} (a symlink to a file in the same dirs is read)`,
        fix: `replace the link with a regular file: cp --remove-destination "$(readlink -f ${word})" ${word} if the target is the config, else rm ${word} and ${fresh.slice('then '.length)}`,
      };
    case 'dangling':
      return {
        problem: refusal.loop ? `${f} is a symlink loop (to ${refusal.target}, which leads back round): it leads to no file` : `${f} is a symlink to ${refusal.target}, which does not exist`,
        allowed,
        fix: `rm ${word}, ${fresh}`,
      };
    case 'unreadable':
      return {
        problem: `${f} cannot be read: permission denied (is it owned by root after a sudo?)`,
        allowed: 'the config must be readable by the user who runs epiloop',
        fix: `sudo chown "$(id -un)" ${word} && chmod 600 ${word}`,
      };
    case 'too-large':
      return { problem: `${f} is ${refusal.bytes} bytes; it was not read`, allowed, fix: `"${invocation} doctor --fix" replaces it with a fresh config and keeps it as the backup` };
    case 'too-deep':
      return {
        problem: `${f}:${refusal.line}:${refusal.column} nests deeper than ${MAX_CONFIG_DEPTH} levels; it was not parsed`,
        allowed,
        fix: `"${invocation} doctor --fix" replaces it with a fresh config and keeps it as the backup`,
      };
    case 'io':
      return { problem: `${f} cannot be read: ${refusal.message}`, allowed, fix: `check the file and its directory, ${fresh}` };
  }
}

/** Refusals doctor --fix can repair by writing a fresh config over the file (the old one kept as the backup). */
export function isReplaceable(refusal: FileRefusal): boolean {
  return refusal.kind === 'too-large' || refusal.kind === 'too-deep';
}

/**
 * A config is edited, never rewritten: every writer computes the config it wants, and
 * editConfigText turns the file's text into that value by changing only what differs.
 * A changed value's bytes are replaced, a removed key is cut out (its comments stay), a
 * new key goes in with the file's own indentation, quoting, comma style and line ends;
 * everything else — comments, blank lines, key order, a BOM — is left byte for byte. Pure.
 */
import { serializeConfig } from './parse';
import { countPresent, element, isContainer, isPlainObject, isPresent } from './json-value';
import { firstAbove, isComment, Kind, matchEdited, matchText, parseSyntax, parseToward, significantFrom, type ArrayNode, type Member, type ObjectNode, type SyntaxDoc, type SyntaxNode, type Tokens, type Verified, type VerifiedParts } from './syntax';

type Raw = Record<string, unknown>;
type Container = ObjectNode | ArrayNode;
/** A member to add: a key and value for an object, a value for an array. */
interface Addition {
  key: string | null;
  value: unknown;
}

/**
 * The text of the config `newRaw` as an edit of `oldText`. No old text (a new file): the
 * config as indented JSON.
 */
export function editConfigText(oldText: string | null, newRaw: Raw): string {
  return editConfig(oldText, newRaw).text;
}

/** How the text came about: 'edited' keeps the file's layout; the others write fresh JSON. */
export type EditOutcome = 'new-file' | 'edited' | 'unparseable' | 'read-back-failed';

export function editConfig(oldText: string | null, newRaw: Raw): { text: string; outcome: EditOutcome } {
  if (oldText === null) return { text: serializeConfig(newRaw), outcome: 'new-file' };
  const parsed = parseToward(oldText, newRaw);
  if (parsed === null) return { text: unparseableConfigText(oldText, newRaw), outcome: 'unparseable' };
  const { doc, verified } = parsed;
  new Editor(doc, verified).editNode(doc.root, newRaw, null, null);
  // Nothing differs: the file stays byte for byte (and the store writes nothing).
  if (doc.tokens.pristine) return { text: oldText, outcome: 'edited' };
  const text = doc.tokens.print();
  // Read back before it is written: a layout we failed to keep must never cost a setting.
  // matchEdited proves it re-reading only what the edit reached (its every "no" goes on to
  // the full read-back, which decides); readsAs re-reads the whole text, passing by only the
  // untouched verified containers it finds again token by token.
  if (matchEdited(text, newRaw, doc.tokens, doc.tree.closeOf, verified) || readsAs(text, newRaw, untouched(doc, verified))) return { text, outcome: 'edited' };
  return { text: serializeConfig(newRaw), outcome: 'read-back-failed' };
}

/**
 * The text written over a config that does not parse (or whose top level is no object):
 * there is no layout to keep, so it is the config as fresh JSON; the store keeps the
 * broken file as the backup. The one place a recovering parse would hook in.
 */
export function unparseableConfigText(_oldText: string, newRaw: Raw): string {
  return serializeConfig(newRaw);
}

function presentKeys(value: Raw): string[] {
  return Object.keys(value).filter((key) => isPresent(value[key]));
}

/**
 * Whether the text is JSON5 with an object on top that a reader reads as `value`. The
 * read-back compares while it parses (no tree); the few texts it leaves undecided (equal
 * keys in one object) are read the slow way, through the tree.
 */
export function readsAs(text: string, value: Raw, known?: (tokens: Tokens, at: number, wanted: unknown) => number): boolean {
  return matchText(text, value, known) ?? readsAsByTree(text, value);
}

/**
 * For the read-back of an edit: a container of the new text that is, character for
 * character, one the parse found standing for the same part of the config (no edited token
 * from its "{" to its "}", the very value wanted of it) reads as that part again — the same
 * characters make the same tokens — so the read-back passes it by instead of comparing its
 * every value a second time. What the edit changed, and everything around it, is read back
 * in full. The index after its closing bracket in the new tokens, else -1.
 */
export function untouched(doc: SyntaxDoc, verified: VerifiedParts): (tokens: Tokens, at: number, wanted: unknown) => number {
  const old = doc.tokens;
  const { closeOf } = doc.tree;
  // For the k-th edited token: where its new text starts and ends in the new text.
  const { edited, newStart, newEnd } = old.editedSpans();
  let byStart: Map<number, number> | null = null;
  return (tokens, at, wanted) => {
    const p = tokens.starts[at]!;
    // The edits that end at or before p; p must not fall inside the next one's new text.
    let k = firstAbove(newEnd, p);
    if (k < edited.length && newStart[k]! <= p) return -1;
    const q = k === 0 ? p : p - (newEnd[k - 1]! - old.starts[edited[k - 1]! + 1]!);
    byStart ??= new Map([...verified.keys()].map((first) => [old.starts[first]!, first]));
    const first = byStart.get(q);
    if (first === undefined || verified.get(first) !== wanted) return -1;
    const last = closeOf[first]!;
    // No edited token from its "{" to its "}".
    k = firstAtLeast(edited, first);
    if (k < edited.length && edited[k]! <= last) return -1;
    const close = at + (last - first);
    const span = old.starts[last + 1]! - old.starts[first]!;
    if (close >= tokens.length || tokens.kinds[close] !== old.kinds[last] || tokens.starts[close + 1]! - p !== span) return -1;
    return close + 1;
  };
}

/** The first index k with values[k] >= x (values ascending). */
function firstAtLeast(values: ArrayLike<number>, x: number): number {
  return firstAbove(values, x - 1);
}

/** The read-back the slow way: the text's tree, then a walk comparing it to `value`. */
export function readsAsByTree(text: string, value: Raw): boolean {
  const check = parseSyntax(text);
  return check !== null && matches(check.tokens, check.root, value);
}

/** Whether the text's tree stands for `value`, compared as it is walked (nothing is built). */
function matches(t: Tokens, node: SyntaxNode, value: unknown): boolean {
  if (node.kind === 'scalar') return !isContainer(value) && t.holds(node.first, value);
  if (node.kind === 'array') {
    return Array.isArray(value) && value.length === node.members.length && node.members.every((m, i) => matches(t, m.value, element(value[i])));
  }
  if (!isPlainObject(value)) return false;
  let count = 0;
  for (const m of node.members) {
    if (node.shadowed?.has(m)) continue;
    const v = Object.hasOwn(value, m.key!) ? value[m.key!] : undefined;
    if (!isPresent(v) || !matches(t, m.value, v)) return false;
    count++;
  }
  return count === countPresent(value);
}

const IDENTIFIER = /^[\p{L}\p{Nl}$_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$_\u200c\u200d]*$/u;

/** How this file writes things, learnt from the file, so what we add looks like what is there. */
interface Style {
  eol: string;
  /** One level of indentation. */
  unit: string;
  /** null: keys are written unquoted where they can be. */
  keyQuote: '"' | "'" | null;
  stringQuote: '"' | "'";
  /** After a colon, and after a comma inside a one-line container. */
  colon: string;
  comma: string;
  /** Inside the braces of a one-line object: "{ a: 1 }" or "{a: 1}". */
  pad: string;
  trailingComma: boolean;
  /** Short arrays of scalars on one line: ["main"]. */
  arraysInline: boolean;
  /** The file spans several lines: a new object is written over several lines too. */
  multiline: boolean;
}

function majority(yes: number, no: number): boolean {
  return yes > no;
}

const NOTHING: ReadonlySet<Member> = new Set();

class Editor {
  private readonly tokens: Tokens;
  private styleCache: Style | null = null;
  /** wasMultiline's answers, by the container's first token: a container on one line is scanned once. */
  private readonly multiline = new Map<number, boolean>();

  constructor(
    private readonly doc: SyntaxDoc,
    /** The containers the parse found already standing for their part of the config, with that part. */
    private readonly verified: Verified,
  ) {
    this.tokens = doc.tokens;
  }

  private get style(): Style {
    return (this.styleCache ??= this.learnStyle());
  }

  /** Spanned several lines as the file was read. */
  private wasMultiline(node: Container): boolean {
    let lines = this.multiline.get(node.first);
    if (lines === undefined) this.multiline.set(node.first, (lines = this.lineEndBetween(node.first, node.last)));
    return lines;
  }

  /**
   * A line end among tokens[from … to-1], as the file was read: the scan stops at the first.
   * (No table of line ends per token: filling one for the whole file cost every edit more
   * than the few questions it answers.)
   */
  private lineEndBetween(from: number, to: number): boolean {
    const { kinds } = this.tokens;
    for (let i = from; i < to; i++) if (kinds[i] === Kind.Newline) return true;
    return false;
  }

  editNode(node: SyntaxNode, value: unknown, member: Member | null, parent: Container | null): void {
    if (node.kind === 'object' && isPlainObject(value)) return this.unchanged(node, value) ? undefined : this.editObject(node, value);
    if (node.kind === 'array' && Array.isArray(value)) return this.unchanged(node, value) ? undefined : this.editArray(node, value);
    if (node.kind === 'scalar' && !isContainer(value) && this.tokens.holds(node.first, element(value))) return;
    this.replace(node, value, member!, parent!);
  }

  /** A container the parse found standing for this very value: an edit would change nothing in it. */
  private unchanged(node: Container, value: unknown): boolean {
    return this.verified.get(node.first) === value;
  }

  /** Whether an untouched value already stands for `value`. */
  private holds(node: SyntaxNode, value: unknown): boolean {
    return this.doc.tree.holds(node, value) ?? matches(this.tokens, node, value);
  }

  private editObject(node: ObjectNode, wanted: Raw): void {
    const names = Object.keys(wanted);
    const growth = this.verified.growth(node.first);
    if (growth !== undefined) {
      // The parse found every member standing for its wanted value, in order: the wanted keys
      // after them go after the last member, and no other member is read.
      this.restructure(node, [this.doc.tree.memberAt(node, growth.lastKey)], NOTHING, 'end', additionsFrom(wanted, names, growth.count));
      return;
    }
    const { members } = node;
    // The file's keys are nearly always wanted's own in its order (the config was read from
    // this file): compared on the source, they need no string each, and keys taken one by one
    // from Object.keys are distinct (none shadows another).
    let inOrder = members.length <= names.length;
    for (let j = 0; inOrder && j < members.length; j++) inOrder = this.tokens.spells(members[j]!.first, names[j]!);
    // JSON5 keeps the last of two equal keys: that is the one to edit; a removal takes all.
    let removed: Set<Member> | null = null;
    let kept = 0;
    for (let j = 0; j < members.length; j++) {
      const m = members[j]!;
      const value = inOrder ? wanted[names[j]!] : Object.hasOwn(wanted, m.key!) ? wanted[m.key!] : undefined;
      if (!isPresent(value)) (removed ??= new Set()).add(m);
      else if (inOrder || !node.shadowed?.has(m)) {
        kept++;
        this.editNode(m.value, value, m, node);
      }
    }
    // Keys the file lacks: after its own, in order; else they exist only when the config has
    // more keys than the file keeps.
    let added: Addition[] = [];
    if (inOrder) added = additionsFrom(wanted, names, members.length);
    else if (countPresent(wanted) > kept) {
      const have = new Set(node.members.map((m) => m.key));
      added = presentKeys(wanted)
        .filter((key) => !have.has(key))
        .map((key) => ({ key, value: wanted[key] }));
    }
    this.restructure(node, members, removed ?? NOTHING, 'end', added);
  }

  /** Equal heads and tails stay; the differing middles are edited pairwise, the rest removed or added. */
  private editArray(node: ArrayNode, wanted: unknown[]): void {
    const old = node.members;
    const same = (i: number, j: number) => this.holds(old[i]!.value, element(wanted[j]));
    let head = 0;
    while (head < old.length && head < wanted.length && same(head, head)) head++;
    // The common case, nothing in it changed: no sets or slices for an empty edit.
    if (head === old.length && head === wanted.length) return;
    let tail = 0;
    while (tail < old.length - head && tail < wanted.length - head && same(old.length - 1 - tail, wanted.length - 1 - tail)) tail++;
    const paired = Math.min(old.length - head - tail, wanted.length - head - tail);
    for (let i = head; i < head + paired; i++) this.editNode(old[i]!.value, element(wanted[i]), old[i]!, node);
    const removed = new Set(old.slice(head + paired, old.length - tail));
    const added = wanted.slice(head + paired, wanted.length - tail).map((value) => ({ key: null, value }));
    this.restructure(node, old, removed, head + paired > 0 ? old[head + paired - 1]! : null, added);
  }

  /**
   * Removes and adds members of one container. `all`: its members; with nothing removed, its
   * last one will do (only the last member's comma can change). `after`: the member the
   * additions follow, null for the start, 'end' for after the last member that stays.
   */
  private restructure(node: Container, all: readonly Member[], removed: ReadonlySet<Member>, after: Member | null | 'end', added: Addition[]): void {
    if (removed.size === 0 && added.length === 0) return;
    const t = this.tokens;
    const trailing = all.length > 0 && all[all.length - 1]!.comma >= 0;
    // A run of neighbours goes as one span: member by member, each cut would walk back over
    // the ones cut before it (20,000 repeats of a key on one line took 40 s).
    for (let i = 0; i < all.length && removed.size > 0; i++) {
      if (!removed.has(all[i]!)) continue;
      let j = i;
      while (j + 1 < all.length && removed.has(all[j + 1]!)) j++;
      this.removeMembers(node, all[i]!, all[j]!);
      i = j;
    }
    const kept = removed.size === 0 ? all : all.filter((m) => !removed.has(m));
    const anchor = after === 'end' ? (kept[kept.length - 1] ?? null) : after;
    const lastKept = kept[kept.length - 1];
    const addedLast = added.length > 0 && (kept.length === 0 || anchor === lastKept);
    // Every member but the last has a comma; the last one as the container had it. With
    // nothing removed, every member but the last was followed by another and has its comma.
    for (let k = removed.size === 0 ? Math.max(0, kept.length - 1) : 0; k < kept.length; k++) {
      const m = kept[k]!;
      const wants = m !== lastKept || addedLast || trailing;
      const has = m.comma >= 0 && !t.isRemoved(m.comma);
      if (wants && !has) {
        t.setText(m.value.last, t.text(m.value.last) + ',');
        m.comma = -1;
      } else if (!wants && has) {
        t.setText(m.comma, '');
        m.comma = -1;
      }
    }
    if (added.length > 0) {
      if (kept.length === 0) this.fillEmpty(node, added, all.length > 0 ? trailing : null);
      else if (anchor === null) this.insertBefore(kept[0]!, added);
      else this.insertAfter(node, anchor, added, anchor === lastKept ? trailing : true);
    } else if (kept.length === 0) {
      this.collapseIfBlank(node);
    }
  }

  /** Cuts members `from` … `to` (neighbours) out; comments inside them stay where they were, and a line left blank goes. */
  private removeMembers(node: Container, from: Member, to: Member): void {
    const t = this.tokens;
    const a = from.first;
    const b = to.comma >= 0 ? to.comma : to.value.last;
    const indent = this.lineIndent(a);
    const comments = this.commentsText(a, b, indent);
    for (let i = a; i <= b; i++) t.setText(i, '');
    const p = this.skipBlanks(a - 1, -1);
    const n = this.skipBlanks(b + 1, 1);
    const lineStart = p < 0 || t.kind(p) === Kind.Newline;
    const lineEnd = n >= t.length || t.kind(n) === Kind.Newline;
    if (comments !== null) {
      const ownLine = comments.endsWithLineComment && !lineEnd;
      t.setText(a, comments.text + (ownLine ? this.style.eol + indent : ''));
      // What followed on the line starts the next one at `indent`, not after the blanks it had.
      if (ownLine) this.clearSpaces(b + 1, n - 1);
    } else if (lineEnd) {
      this.clearSpaces(p + 1, a - 1);
      this.clearSpaces(b + 1, n - 1);
      if (lineStart && n < t.length) t.setText(n, '');
    } else if (!lineStart && n === node.last) {
      this.clearSpaces(p + 1, a - 1);
    } else {
      this.clearSpaces(b + 1, n - 1);
    }
  }

  /** The comments among tokens[a … b], on their lines as they were; null when there are none. */
  private commentsText(a: number, b: number, indent: string): { text: string; endsWithLineComment: boolean } | null {
    const t = this.tokens;
    let text = '';
    let previous = -1;
    for (let i = a; i <= b; i++) {
      if (!isComment(t.kind(i)) || t.isRemoved(i)) continue;
      if (previous >= 0) text += this.lineEndBetween(previous, i) ? this.style.eol + indent : ' ';
      text += t.text(i);
      previous = i;
    }
    return previous < 0 ? null : { text, endsWithLineComment: t.kind(previous) === Kind.LineComment };
  }

  /** A value of another kind: its text replaced; comments inside the old one move above its member. */
  private replace(node: SyntaxNode, value: unknown, member: Member, parent: Container): void {
    const t = this.tokens;
    const indent = this.lineIndent(member.first);
    const multiline = node.kind !== 'scalar' ? this.wasMultiline(node) : this.wasMultiline(parent) && this.startsLine(member.first);
    const text =
      typeof value === 'string' && t.kind(node.first) === Kind.String
        ? quote(value, t.firstChar(node.first) as '"' | "'")
        : this.render(value, indent, multiline);
    const comments = node.kind === 'scalar' ? null : this.commentsText(node.first, node.last, indent);
    for (let i = node.first + 1; i <= node.last; i++) t.setText(i, '');
    t.setText(node.first, text);
    if (comments !== null) {
      const separator = comments.endsWithLineComment || this.startsLine(member.first) ? this.style.eol + indent : ' ';
      t.setText(member.first, comments.text + separator + t.text(member.first));
    }
  }

  /** After member m: on new lines when m ends its line, else on m's line. */
  private insertAfter(node: Container, m: Member, added: Addition[], finalComma: boolean): void {
    const t = this.tokens;
    const end = m.comma >= 0 ? m.comma : m.value.last;
    const { last, lineEnd } = this.restOfLine(end, node.last);
    const tail = finalComma ? ',' : '';
    if (lineEnd) {
      const indent = this.lineIndent(m.first);
      t.setText(last, t.text(last) + added.map((a) => this.style.eol + indent + this.renderMember(a, indent, true)).join(',') + tail);
    } else {
      const space = this.style.comma.slice(1);
      t.setText(end, t.text(end) + space + added.map((a) => this.renderMember(a, '', false)).join(this.style.comma) + tail);
    }
  }

  /** Before the first member (an array growing at its head): in its place, the member moved along. */
  private insertBefore(first: Member, added: Addition[]): void {
    const t = this.tokens;
    const ownLines = this.startsLine(first.first);
    const indent = this.lineIndent(first.first);
    const separator = ownLines ? `,${this.style.eol}${indent}` : this.style.comma;
    const texts = added.map((a) => this.renderMember(a, indent, ownLines));
    t.setText(first.first, texts.join(separator) + separator + t.text(first.first));
  }

  /**
   * Members into a container that has none: over lines in a file that has lines, else
   * inline. `trailing`: the comma style the container had, null when it never had members.
   */
  private fillEmpty(node: Container, added: Addition[], trailing: boolean | null): void {
    const t = this.tokens;
    let lineBreak = false;
    let lastComment = -1;
    for (let i = node.first + 1; i < node.last; i++) {
      if (t.isRemoved(i)) continue;
      if (t.kind(i) === Kind.Newline) lineBreak = true;
      else if (isComment(t.kind(i))) lastComment = i;
    }
    const style = this.style;
    const scalars = added.every((a) => !isContainer(a.value));
    const expand = lineBreak || (style.multiline && !(node.kind === 'array' && style.arraysInline && scalars));
    const anchor = lastComment >= 0 ? lastComment : node.first;
    if (!expand) {
      if (lastComment < 0) this.clearSpaces(node.first + 1, node.last - 1);
      const inside = added.map((a) => this.renderMember(a, '', false)).join(style.comma) + (trailing === true ? ',' : '');
      t.setText(anchor, t.text(anchor) + (lastComment >= 0 ? ` ${inside}` : node.kind === 'object' ? `${style.pad}${inside}${style.pad}` : inside));
      return;
    }
    const outer = this.lineIndent(node.first);
    const indent = lastComment >= 0 && this.startsLine(lastComment) ? this.lineIndent(lastComment) : outer + style.unit;
    let text = added.map((a) => style.eol + indent + this.renderMember(a, indent, true)).join(',') + ((trailing ?? style.trailingComma) ? ',' : '');
    if (!lineBreak) {
      this.clearSpaces(anchor + 1, node.last - 1);
      text += style.eol + outer;
    }
    const { last } = this.restOfLine(anchor, node.last);
    t.setText(last, t.text(last) + text);
  }

  /** A container left with nothing but whitespace inside becomes {} or []. */
  private collapseIfBlank(node: Container): void {
    const t = this.tokens;
    for (let i = node.first + 1; i < node.last; i++) {
      if (!t.isRemoved(i) && t.kind(i) !== Kind.Space && t.kind(i) !== Kind.Newline) return;
    }
    for (let i = node.first + 1; i < node.last; i++) t.setText(i, '');
  }

  private clearSpaces(from: number, to: number): void {
    for (let i = from; i <= to; i++) if (this.tokens.kind(i) === Kind.Space) this.tokens.setText(i, '');
  }

  /** From i in direction step (1 or -1), past removed tokens and spaces: the first other token's index. */
  private skipBlanks(i: number, step: 1 | -1): number {
    const t = this.tokens;
    while (i >= 0 && i < t.length && (t.isRemoved(i) || t.kind(i) === Kind.Space)) i += step;
    return i;
  }

  /**
   * After token `from`, on its line and before `limit`: the last token that is not a blank
   * (a comment, or `from` itself), and whether the line ends there (no other token follows on it).
   */
  private restOfLine(from: number, limit: number): { last: number; lineEnd: boolean } {
    const t = this.tokens;
    let last = from;
    let j = from + 1;
    for (; j < limit; j++) {
      const kind = t.kind(j);
      if (t.isRemoved(j) || kind === Kind.Space) continue;
      if (!isComment(kind)) break;
      last = j;
    }
    return { last, lineEnd: j < t.length && t.kind(j) === Kind.Newline };
  }

  /** The blanks that start the line token i is on (a BOM is not indentation). */
  private lineIndent(i: number): string {
    const t = this.tokens;
    let j = i - 1;
    while (j >= 0 && !(t.kind(j) === Kind.Newline && !t.isRemoved(j))) j--;
    for (let k = j + 1; k < i; k++) {
      if (t.isRemoved(k)) continue;
      return t.kind(k) === Kind.Space ? /^[ \t]*/.exec(t.text(k).replace(/^\ufeff/, ''))![0] : '';
    }
    return '';
  }

  /** Nothing but blanks before token i on its line. */
  private startsLine(i: number): boolean {
    const j = this.skipBlanks(i - 1, -1);
    return j < 0 || this.tokens.kind(j) === Kind.Newline;
  }

  private renderMember(addition: Addition, indent: string, multiline: boolean): string {
    const value = this.render(addition.value, indent, multiline);
    return addition.key === null ? value : `${this.renderKey(addition.key)}${this.style.colon}${value}`;
  }

  private renderKey(key: string): string {
    const { keyQuote, stringQuote } = this.style;
    return keyQuote === null && IDENTIFIER.test(key) ? key : quote(key, keyQuote ?? stringQuote);
  }

  /** A new value in the file's style; over lines (one level deeper than `indent`) when `multiline`. */
  private render(value: unknown, indent: string, multiline: boolean): string {
    const style = this.style;
    if (!isContainer(value)) return renderScalar(value, style.stringQuote);
    const inner = indent + style.unit;
    const overLines = (items: string[], open: string, end: string) =>
      `${open}${items.map((item) => style.eol + inner + item).join(',')}${style.trailingComma ? ',' : ''}${style.eol}${indent}${end}`;
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]';
      if (!multiline || (style.arraysInline && value.every((v) => !isContainer(v)))) {
        return `[${value.map((v) => this.render(element(v), indent, false)).join(style.comma)}]`;
      }
      return overLines(value.map((v) => this.render(element(v), inner, true)), '[', ']');
    }
    const entries = presentKeys(value as Raw).map((k) => [k, (value as Raw)[k]] as const);
    if (entries.length === 0) return '{}';
    if (!multiline) return `{${style.pad}${entries.map(([k, v]) => `${this.renderKey(k)}${style.colon}${this.render(v, indent, false)}`).join(style.comma)}${style.pad}}`;
    return overLines(entries.map(([k, v]) => `${this.renderKey(k)}${style.colon}${this.render(v, inner, true)}`), '{', '}');
  }

  /** How the file writes things, counted over its tokens (countStyle). */
  private learnStyle(): Style {
    const t = this.tokens;
    const count = countStyle(t, t.kinds, t.length);
    // The top level's first member starts at its first token that is no trivia (none: it is empty).
    const { root } = this.doc;
    const first = significantFrom(t.kinds, root.first + 1, t.length);
    const indent = first === root.last ? '' : this.lineIndent(first);
    const spaced = count.colonSpaced >= count.colonTight;
    return {
      eol: count.crlf > count.lf ? '\r\n' : '\n',
      unit: indent.includes('\t') ? '\t' : indent === '' ? '  ' : indent,
      keyQuote: count.bare > count.dq + count.sq ? null : count.sq > count.dq ? "'" : '"',
      stringQuote: count.valueSq > count.valueDq ? "'" : '"',
      colon: spaced ? ': ' : ':',
      comma: spaced ? ', ' : ',',
      pad: count.tight > count.padded || !spaced ? '' : ' ',
      trailingComma: majority(count.trailing, count.notTrailing),
      arraysInline: majority(count.inlineArrays, count.lineArrays),
      multiline: this.wasMultiline(this.doc.root),
    };
  }
}

/**
 * One pass over the tokens, counting what a walk of the whole tree would: line ends, keys (a
 * name or string a colon follows), string values, colons, and each container by its brackets
 * as the file was read (an edit never changes whether a container it read had members, or a
 * comma after its last one: its removed members stay in its list, and the last one's comma is
 * only ever set to what it was), at its closing bracket, when the line ends since its opening
 * one are counted. Its inputs come as arguments and its counts are plain variables: the
 * function runs once per edit, the first time before V8 keeps notes on it, and a property read
 * outside its loop's common path, never noted, threw the optimised loop away at the 2nd edit.
 */
function countStyle(t: Tokens, kinds: Uint8Array, length: number) {
  let crlf = 0;
  let lf = 0;
  let bare = 0;
  let dq = 0;
  let sq = 0;
  let valueDq = 0;
  let valueSq = 0;
  let colonSpaced = 0;
  let colonTight = 0;
  let trailing = 0;
  let notTrailing = 0;
  let inlineArrays = 0;
  let lineArrays = 0;
  let padded = 0;
  let tight = 0;
  // The open containers, innermost last: each one's opening bracket, and the line ends before it.
  const opens: number[] = [];
  const linesBefore: number[] = [];
  let lineEnds = 0;
  // No closures here: one made per edit would undo V8's optimised code of this loop at each edit.
  for (let i = 0; i < length; i++) {
    const kind = kinds[i];
    if (kind === Kind.Newline) {
      lineEnds++;
      // As the file has it: a line end an edit already removed reads '' now.
      t.source.startsWith('\r\n', t.starts[i]!) ? crlf++ : lf++;
    } else if (kind === Kind.String || kind === Kind.Word) {
      const after = significantFrom(kinds, i + 1, length);
      if (after < length && kinds[after] === Kind.Colon) {
        if (kind === Kind.Word) bare++;
        else t.firstChar(i) === '"' ? dq++ : sq++;
      } else if (kind === Kind.String) {
        t.firstChar(i) === '"' ? valueDq++ : valueSq++;
      }
    } else if (kind === Kind.Colon) {
      i + 1 < length && kinds[i + 1] === Kind.Space ? colonSpaced++ : colonTight++;
    } else if (kind === Kind.Open || kind === Kind.OpenList) {
      opens.push(i);
      linesBefore.push(lineEnds);
    } else if (kind === Kind.Close || kind === Kind.CloseList) {
      const first = opens.pop()!;
      const lines = lineEnds > linesBefore.pop()!;
      if (significantFrom(kinds, first + 1, length) === i) continue;
      if (lines) {
        // The last token before the bracket that is no trivia (one is: the container has members).
        let before = i - 1;
        while (kinds[before]! >= Kind.Space) before--;
        kinds[before] === Kind.Comma ? trailing++ : notTrailing++;
      } else kinds[first + 1] === Kind.Space ? padded++ : tight++;
      if (kind === Kind.CloseList) lines ? lineArrays++ : inlineArrays++;
    }
  }
  return { crlf, lf, bare, dq, sq, valueDq, valueSq, colonSpaced, colonTight, trailing, notTrailing, inlineArrays, lineArrays, padded, tight };
}

/** The present keys of `wanted` from names[from] on (names: its keys in order), as additions. */
function additionsFrom(wanted: Raw, names: string[], from: number): Addition[] {
  const added: Addition[] = [];
  for (let j = from; j < names.length; j++) {
    const value = wanted[names[j]!];
    if (isPresent(value)) added.push({ key: names[j]!, value });
  }
  return added;
}

function renderScalar(value: unknown, stringQuote: '"' | "'"): string {
  if (typeof value === 'string') return quote(value, stringQuote);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  }
  if (typeof value === 'boolean' || value === null) return String(value);
  throw new Error(`a config value cannot be ${typeof value}`);
}

/** A JSON5 string literal in the given quotes. U+2028/9 are escaped: some readers warn about them raw. */
export function quote(value: string, q: '"' | "'"): string {
  const json = JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  if (q === '"') return json;
  let out = "'";
  for (let i = 1; i < json.length - 1; i++) {
    const c = json[i]!;
    if (c === '\\') {
      const escaped = json[++i]!;
      out += escaped === '"' ? '"' : `\\${escaped}`;
    } else out += c === "'" ? "\\'" : c;
  }
  return `${out}'`;
}

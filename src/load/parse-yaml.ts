import { getScalarValue, parseEvents, type Event, type ScalarEvent } from 'js-yaml';
import { error, type Diagnostic, type Loc } from '../diagnostics/diagnostic.js';
import { COLLECTION_TAGS, resolvePlainScalar, resolveTaggedScalar, type ScalarValue } from './core-schema.js';
import { LineIndex, fileStart } from './source-text.js';
import { DocumentLocs, OpenEntries, type Position } from './positions.js';
import type { LoadedDocument, YamlValue } from './types.js';

/**
 * Parses one YAML file into plain values with the position of every node.
 *
 * js-yaml's `parseEvents` gives a flat event stream with source offsets (and is several times
 * faster than building a CST); we construct the values ourselves so that positions are kept
 * and so that hostile input is refused with a diagnostic instead of being half-accepted:
 * duplicate keys, prototype-polluting keys, unknown tags, complex keys, and alias expansion
 * beyond a budget (alias bombs). Nesting depth is capped by the parser itself.
 */

export interface ParseLimits {
  /** Deepest collection nesting accepted. */
  maxDepth: number;
  /** Most nodes alias expansion may add to a file, beyond the nodes written in it. */
  maxAliasNodes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxDepth: 64, maxAliasNodes: 100_000 };

export interface ParseResult {
  documents: LoadedDocument[];
  diagnostics: Diagnostic[];
}

const EVENT_DOCUMENT = 1;
const EVENT_SEQUENCE = 2;
const EVENT_MAPPING = 3;
const EVENT_SCALAR = 4;
const EVENT_ALIAS = 5;
const EVENT_POP = 6;
const STYLE_PLAIN = 1;
const STYLE_SINGLE_QUOTED = 2;
const STYLE_DOUBLE_QUOTED = 3;

/** Keys that would reach Object.prototype or confuse consumers: always refused. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseYamlDocuments(file: string, text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParseResult {
  // A BOM is not content: drop it so columns on line 1 match what editors show.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(file, source);
  const junk = findBinaryJunk(source);
  if (junk !== -1) {
    return fail(
      error('E-YAML-BINARY', 'file contains binary data (a NUL byte or an invalid character), not YAML text', lines.loc(junk), {
        hint: 'policy files must be UTF-8 text',
      }),
    );
  }
  return parseAndBuild(file, source, lines, limits);
}

/**
 * Parses part of a file (a run of whole lines, for the incremental re-parse) with positions read
 * through `lines`, which maps the part's offsets to the file's lines and columns. Nothing is
 * stripped; the caller decides whether the result stands for what a parse of the file would give.
 */
export function parseYamlPart(file: string, part: string, lines: LineIndex, limits: ParseLimits): ParseResult {
  if (findBinaryJunk(part) !== -1) return fail(error('E-YAML-BINARY', 'binary data', fileStart(file)));
  return parseAndBuild(file, part, lines, limits);
}

/** js-yaml's events of `text`, built into documents with positions read through `lines`. */
function parseAndBuild(file: string, text: string, lines: LineIndex, limits: ParseLimits): ParseResult {
  let events: Event[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: limits.maxDepth });
  } catch (caught) {
    return fail(syntaxDiagnostic(caught, lines, limits));
  }
  return new DocumentBuilder(file, text, lines, limits).build(events);
}

function fail(diagnostic: Diagnostic): ParseResult {
  return { documents: [], diagnostics: [diagnostic] };
}

/** Offset of the first NUL or U+FFFD (what a failed UTF-8 decode leaves), else -1. */
function findBinaryJunk(source: string): number {
  const nul = source.indexOf('\u0000');
  const replacement = source.indexOf('\ufffd');
  if (nul === -1) return replacement;
  if (replacement === -1) return nul;
  return Math.min(nul, replacement);
}

function syntaxDiagnostic(caught: unknown, lines: LineIndex, limits: ParseLimits): Diagnostic {
  // Only the reason and position are used: js-yaml's mark also carries the whole input buffer.
  const reason = typeof caught === 'object' && caught !== null && 'reason' in caught ? String((caught as { reason: unknown }).reason) : '';
  const mark = typeof caught === 'object' && caught !== null && 'mark' in caught ? (caught as { mark?: { position?: number } }).mark : undefined;
  const loc = mark && typeof mark.position === 'number' ? lines.loc(mark.position) : fileStart(lines.file);
  if (/maxDepth/.test(reason)) {
    return error('E-YAML-TOO-DEEP', `nesting is deeper than ${limits.maxDepth} levels`, loc, {
      hint: 'policy documents are a few levels deep; this looks like generated or hostile input',
    });
  }
  if (reason === '') {
    // Not a YAMLException (e.g. the engine ran out of stack): still a diagnostic, never a crash.
    return error('E-YAML-SYNTAX', 'the YAML parser could not read this file', loc);
  }
  return error('E-YAML-SYNTAX', reason, loc);
}

interface Anchor {
  value: YamlValue;
  /** Nodes in the anchored value, charged against the alias budget on every use. */
  size: number;
}

/**
 * One open collection (or the document itself). Frames are reused from a pool indexed by
 * depth: one is needed per collection, and allocating them was pure garbage.
 */
interface Frame {
  kind: 'map' | 'seq' | 'doc';
  value: YamlValue;
  /** The collection's id in the document's position tables (-1 for the document frame). */
  id: number;
  /** Where this collection's entries start among the open entries. */
  from: number;
  /** The collection's own position; for the document, its root node's. */
  position: Position;
  anchor: string | null;
  /** Nodes created inside this frame, for the alias budget. */
  size: number;
  /** For mappings: the key waiting for its value (null while a key is awaited). */
  keyName: string | null;
  keyPosition: Position;
  /** The waiting key is refused (duplicate, forbidden, complex): its value is dropped. */
  keySkip: boolean;
  /** For mappings: set when the key itself was a collection (refused). */
  complexKeyDepth: number;
}

class DocumentBuilder {
  private readonly documents: LoadedDocument[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private readonly frames: Frame[] = [];
  private depth = 0;
  private readonly anchors = new Map<string, Anchor>();
  private locs: DocumentLocs;
  private readonly open = new OpenEntries();
  private aliasNodes = 0;
  private aborted = false;

  constructor(
    private readonly file: string,
    private readonly source: string,
    private readonly lines: LineIndex,
    private readonly limits: ParseLimits,
  ) {
    this.locs = new DocumentLocs(lines);
  }

  build(events: Event[]): ParseResult {
    for (let i = 0; i < events.length && !this.aborted; i++) {
      const event = events[i];
      switch (event.type) {
        case EVENT_DOCUMENT:
          this.openDocument();
          break;
        case EVENT_MAPPING:
        case EVENT_SEQUENCE:
          this.openCollection(event.type === EVENT_MAPPING ? 'map' : 'seq', event.start, event.anchorStart, event.anchorEnd, event.tagStart, event.tagEnd);
          break;
        case EVENT_SCALAR:
          this.scalar(event);
          break;
        case EVENT_ALIAS:
          this.alias(event.anchorStart, event.anchorEnd);
          break;
        case EVENT_POP:
          this.pop();
          break;
      }
    }
    return { documents: this.aborted ? [] : this.documents, diagnostics: this.diagnostics };
  }

  private loc(position: Position): Loc {
    return typeof position === 'number' ? this.lines.loc(position) : position;
  }

  private push(kind: Frame['kind'], value: YamlValue, id: number, position: Position, anchor: string | null, size: number): void {
    let frame = this.frames[this.depth];
    const from = this.open.count;
    if (frame === undefined) {
      frame = { kind, value, id, from, position, anchor, size, keyName: null, keyPosition: 0, keySkip: false, complexKeyDepth: 0 };
      this.frames.push(frame);
    } else {
      frame.kind = kind;
      frame.value = value;
      frame.id = id;
      frame.from = from;
      frame.position = position;
      frame.anchor = anchor;
      frame.size = size;
      frame.keyName = null;
      frame.keyPosition = 0;
      frame.keySkip = false;
      frame.complexKeyDepth = 0;
    }
    this.depth++;
  }

  private openDocument(): void {
    this.locs = new DocumentLocs(this.lines);
    this.anchors.clear();
    // Position 0 is the start of the file: where an empty document is reported.
    this.push('doc', null, -1, 0, null, 0);
  }

  private openCollection(kind: 'map' | 'seq', start: number, anchorStart: number, anchorEnd: number, tagStart: number, tagEnd: number): void {
    if (tagStart !== -1) {
      const tag = this.source.slice(tagStart, tagEnd);
      if (COLLECTION_TAGS[tag] !== kind) {
        this.report(error('E-YAML-UNKNOWN-TAG', `unknown or mismatched tag ${tag} on a ${kind === 'map' ? 'mapping' : 'sequence'}`, this.lines.loc(tagStart)));
      }
    }
    const value: YamlValue = kind === 'map' ? {} : [];
    const id = this.locs.open(value as object, start);
    const parent = this.top();
    if (parent.kind === 'map' && parent.keyName === null) parent.complexKeyDepth++;
    this.push(kind, value, id, start, anchorStart === -1 ? null : this.source.slice(anchorStart, anchorEnd), 1);
  }

  private pop(): void {
    if (this.depth === 0) return;
    const frame = this.frames[--this.depth];
    if (frame.kind === 'doc') {
      this.locs.finish();
      this.documents.push({ file: this.file, index: this.documents.length, value: frame.value, loc: this.loc(frame.position), locs: this.locs });
      return;
    }
    this.locs.close(frame.id, this.open, frame.from);
    if (frame.anchor !== null) this.anchors.set(frame.anchor, { value: frame.value, size: frame.size });
    const parent = this.top();
    if (parent.kind === 'map' && parent.keyName === null && parent.complexKeyDepth > 0) {
      parent.complexKeyDepth--;
      this.report(error('E-YAML-COMPLEX-KEY', 'mapping keys must be plain text, not collections', this.loc(frame.position)));
      this.skipKey(parent, '', frame.position);
      return;
    }
    this.attach(frame.value, frame.position, frame.size);
  }

  private scalar(event: ScalarEvent): void {
    // Quoted scalars' values start inside the quotes; point at the opening quote as editors do.
    const quoted = event.style === STYLE_SINGLE_QUOTED || event.style === STYLE_DOUBLE_QUOTED ? 1 : 0;
    const offset = event.valueStart !== -1 ? event.valueStart - quoted : event.tagStart !== -1 ? event.tagStart : event.anchorStart !== -1 ? event.anchorStart : -1;
    const position = offset === -1 ? this.emptyValuePosition() : offset;
    const text = event.valueStart === -1 ? '' : getScalarValue(this.source, event);
    const parent = this.top();
    if (parent.kind === 'map' && parent.keyName === null) {
      // A key: use its text as written (`on:` stays "on", `1:` is "1").
      this.setKey(parent, text, position);
      return;
    }
    let value: ScalarValue;
    if (event.tagStart !== -1) {
      const tag = this.source.slice(event.tagStart, event.tagEnd);
      const resolved = resolveTaggedScalar(tag, text);
      if (!resolved.ok) {
        this.report(error('E-YAML-UNKNOWN-TAG', resolved.reason, this.lines.loc(event.tagStart), { hint: 'only the core tags !!str, !!int, !!float, !!bool and !!null are accepted' }));
        value = text;
      } else value = resolved.value;
    } else value = event.style === STYLE_PLAIN && event.valueStart !== -1 ? resolvePlainScalar(text) : event.valueStart === -1 && event.style === STYLE_PLAIN ? null : text;
    if (event.anchorStart !== -1) this.anchors.set(this.source.slice(event.anchorStart, event.anchorEnd), { value, size: 1 });
    this.attach(value, position, 1);
  }

  private alias(anchorStart: number, anchorEnd: number): void {
    const name = this.source.slice(anchorStart, anchorEnd);
    const position = Math.max(0, anchorStart - 1);
    const anchor = this.anchors.get(name);
    if (anchor === undefined) {
      this.report(error('E-YAML-UNKNOWN-ALIAS', `alias *${name} refers to no anchor defined before it`, this.lines.loc(position)));
      this.attach(null, position, 1);
      return;
    }
    this.aliasNodes += anchor.size;
    if (this.aliasNodes > this.limits.maxAliasNodes) {
      // Expanding further could take exponential time and memory ("billion laughs"): stop here.
      this.report(
        error('E-YAML-ALIAS-BOMB', `aliases expand to more than ${this.limits.maxAliasNodes} nodes`, this.lines.loc(position), {
          hint: 'anchors and aliases are for sharing a small list, not for building large structures',
        }),
      );
      this.aborted = true;
      return;
    }
    const parent = this.top();
    if (parent.kind === 'map' && parent.keyName === null) {
      if (typeof anchor.value === 'object' && anchor.value !== null) {
        this.report(error('E-YAML-COMPLEX-KEY', 'mapping keys must be plain text, not collections', this.lines.loc(position)));
        this.skipKey(parent, '', position);
      } else this.setKey(parent, String(anchor.value), position);
      return;
    }
    // Copy, never share: later stages may rely on every node having one parent and its own positions.
    this.attach(this.copy(anchor.value), position, anchor.size);
  }

  private copy(value: YamlValue): YamlValue {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const out = value.map((item) => this.copy(item));
      this.locs.share(out, value);
      return out;
    }
    const out: { [key: string]: YamlValue } = {};
    for (const key of Object.keys(value)) out[key] = this.copy(value[key]);
    this.locs.share(out, value);
    return out;
  }

  private setKey(frame: Frame, name: string, position: Position): void {
    // Length first: the forbidden keys are 9 or 11 characters long; most keys are not.
    if ((name.length === 9 || name.length === 11) && FORBIDDEN_KEYS.has(name)) {
      this.report(error('E-YAML-FORBIDDEN-KEY', `the key "${name}" is not allowed`, this.loc(position), { hint: 'it could alter object prototypes in tools that read this file' }));
      this.skipKey(frame, name, position);
      return;
    }
    // Every accepted key of this mapping is already a property of its value.
    if (Object.prototype.hasOwnProperty.call(frame.value, name)) {
      // This mapping is open: its entries are the open ones from frame.from.
      let first: Loc = this.loc(frame.position);
      for (let i = frame.from; i < this.open.count; i++) {
        if (this.open.names[i] === name) first = this.open.overrides.get(i * 2) ?? this.lines.loc(this.open.offsets[i * 2]);
      }
      this.report(error('E-YAML-DUPLICATE-KEY', `duplicate key "${name}"`, this.loc(position), { related: [{ message: 'first defined here', loc: first }] }));
      this.skipKey(frame, name, position);
      return;
    }
    frame.keyName = name;
    frame.keyPosition = position;
    frame.keySkip = false;
  }

  private skipKey(frame: Frame, name: string, position: Position): void {
    frame.keyName = name;
    frame.keyPosition = position;
    frame.keySkip = true;
  }

  private attach(value: YamlValue, position: Position, size: number): void {
    const parent = this.top();
    parent.size += size;
    if (parent.kind === 'doc') {
      parent.value = value;
      parent.position = position;
    } else if (parent.kind === 'seq') {
      (parent.value as YamlValue[]).push(value);
      this.open.push('', position, position);
    } else {
      const name = parent.keyName!;
      parent.keyName = null;
      if (parent.keySkip) return;
      (parent.value as { [key: string]: YamlValue })[name] = value;
      this.open.push(name, parent.keyPosition, position);
    }
  }

  /** An empty value (`key:` with nothing after it) is placed just after its key. */
  private emptyValuePosition(): Position {
    const parent = this.top();
    if (parent.kind !== 'map' || parent.keyName === null) return parent.position;
    const key = parent.keyPosition;
    const length = parent.keyName.length;
    // Just after the key on the key's line; an offset only while that stays on the same line
    // (a quoted key with escapes or a folded flow key is longer in the text than its name).
    if (typeof key === 'number' && this.source.lastIndexOf('\n', key + length - 1) < key) return key + length;
    const loc = this.loc(key);
    return { ...loc, column: loc.column + length };
  }

  private top(): Frame {
    return this.frames[this.depth - 1];
  }

  private report(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
  }
}

import { lstatSync, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseYamlDocuments } from './parse-yaml.js';
import { fileStart } from './source-text.js';
import type { LoadResult } from './types.js';

/**
 * Reads every `*.yaml`/`*.yml` file under the configured policy folders (or glob patterns),
 * in path order, and parses each with positions. Problems with a file (too large, not UTF-8,
 * not YAML, empty) are diagnostics for that file; the other files are still read so that one
 * run reports everything.
 */

/** Policy files are hand-written; anything larger is generated or hostile. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

const YAML_FILE = /\.ya?ml$/i;

export function loadPolicyFiles(root: string, folders: readonly string[]): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const files = discoverFiles(root, folders, diagnostics);
  const result: LoadResult = { documents: [], diagnostics, sources: new Map() };
  for (const file of files) loadOne(root, file, result);
  return result;
}

/** Loads a single file into `result` (also used by the watcher for a changed file). */
export function loadOne(root: string, file: string, result: LoadResult): void {
  const text = readPolicyText(root, file, result.diagnostics);
  if (text === null) return;
  loadText(file, text, result);
}

/**
 * Loads policy files given as text (e.g. read from git objects by `warden diff`), in path order,
 * with the same checks as files on disk.
 */
export function loadPolicyTexts(files: Iterable<readonly [file: string, text: string]>): LoadResult {
  const result: LoadResult = { documents: [], diagnostics: [], sources: new Map() };
  const sorted = [...files].filter(([file]) => YAML_FILE.test(file)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [file, text] of sorted) {
    if (text.length > MAX_FILE_BYTES) {
      result.diagnostics.push(error('E-FILE-TOO-LARGE', `file is over the ${formatBytes(MAX_FILE_BYTES)} limit for a policy file`, fileStart(file)));
      continue;
    }
    loadText(file, text, result);
  }
  return result;
}

/** Parses one file's text into `result` (also used by the watcher for a file it re-parses whole). */
export function loadText(file: string, text: string, result: LoadResult): void {
  result.sources.set(file, text);
  if (text.replace(/^\ufeff/, '').trim() === '') {
    result.diagnostics.push(error('E-EMPTY-FILE', 'policy file is empty', fileStart(file), { hint: 'delete it, or add a policy section such as `groups:`' }));
    return;
  }
  const parsed = parseYamlDocuments(file, text);
  result.diagnostics.push(...parsed.diagnostics);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return;
  const withContent = parsed.documents.filter((doc) => doc.value !== null);
  if (withContent.length === 0) {
    result.diagnostics.push(error('E-EMPTY-FILE', 'policy file has no content (only comments or empty documents)', fileStart(file)));
    return;
  }
  result.documents.push(...withContent);
}

/** Reads a file as strict UTF-8 within the size limit; reports and returns null otherwise. */
export function readPolicyText(root: string, file: string, diagnostics: Diagnostic[]): string | null {
  const absolute = path.join(root, file);
  let size: number;
  try {
    size = statSync(absolute).size;
  } catch {
    diagnostics.push(error('E-FILE-UNREADABLE', 'file cannot be read', fileStart(file)));
    return null;
  }
  if (size > MAX_FILE_BYTES) {
    diagnostics.push(
      error('E-FILE-TOO-LARGE', `file is ${formatBytes(size)}, over the ${formatBytes(MAX_FILE_BYTES)} limit for a policy file`, fileStart(file), {
        hint: 'split large user lists over several files',
      }),
    );
    return null;
  }
  const bytes = Buffer.alloc(size);
  const fd = openSync(absolute, 'r');
  try {
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
  } finally {
    closeSync(fd);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, at).toString('utf8');
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    diagnostics.push(error('E-FILE-ENCODING', 'file is not valid UTF-8 text', { file, line, column }, { hint: 'policy files must be UTF-8; is this a binary file?' }));
    return null;
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += length;
  }
  return bytes.length;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

/**
 * Project-relative, `/`-separated paths of the YAML files selected by `folders`: each entry is a
 * folder (searched at any depth), a single file, or a glob (`*`, `**`, `?`). Hidden folders and
 * node_modules are skipped; symbolic links are not followed (no cycles, no escaping the project).
 */
export function discoverFiles(root: string, folders: readonly string[], diagnostics: Diagnostic[]): string[] {
  const found = new Set<string>();
  for (const entry of folders) {
    const normalized = entry.replace(/\\/g, '/').replace(/\/+$/, '') || '.';
    if (/[*?[]/.test(normalized)) {
      const pattern = globToRegExp(normalized);
      const base = normalized.slice(0, normalized.search(/[*?[]/)).replace(/[^/]*$/, '').replace(/\/$/, '') || '.';
      for (const file of walk(root, base)) if (pattern.test(file)) found.add(file);
      continue;
    }
    let stats;
    try {
      stats = lstatSync(path.join(root, normalized));
    } catch {
      diagnostics.push(error('E-POLICY-PATH-MISSING', `policy path "${normalized}" does not exist`, fileStart('warden.yaml')));
      continue;
    }
    if (stats.isFile()) found.add(path.posix.normalize(normalized));
    else if (stats.isDirectory()) for (const file of walk(root, normalized)) found.add(file);
  }
  return [...found].filter((file) => YAML_FILE.test(file)).sort();
}

function* walk(root: string, folder: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(path.join(root, folder), { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const relative = folder === '.' ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) yield* walk(root, relative);
    else if (entry.isFile()) yield relative;
  }
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out.replace(/^\.\//, '')}$`);
}

import { parseYamlDocuments } from '../../../src/load/parse-yaml.js';
import type { LoadedDocument, LoadResult } from '../../../src/load/types.js';

/** Parses YAML text with the real loader; a test input that does not parse is a broken test. */
export function documentsOf(file: string, text: string): LoadedDocument[] {
  const parsed = parseYamlDocuments(file, text);
  if (parsed.diagnostics.length > 0) throw new Error(`test input ${file} does not parse: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  return parsed.documents.filter((doc) => doc.value !== null);
}

/** A LoadResult of several files, in the order given (the loader sorts by path; tests pass them sorted). */
export function loadOf(files: Record<string, string>): LoadResult {
  const documents: LoadedDocument[] = [];
  const sources = new Map<string, string>();
  for (const [file, text] of Object.entries(files)) {
    sources.set(file, text);
    documents.push(...documentsOf(file, text));
  }
  return { documents, diagnostics: [], sources };
}

/** Strips indentation common to every line, so YAML can be written indented inside a test. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const lines = text.split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  return lines.map((line) => line.slice(indent)).join('\n');
}

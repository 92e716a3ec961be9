import { createHash } from 'node:crypto';
import type { ValidateFunction } from 'ajv/dist/2020.js';

/**
 * Saved plan files (postgres and platform plans alike) are JSON documents with a checksum over
 * everything else, so a file that was truncated or edited is refused rather than half-applied:
 * the schema checks the shape, the checksum the content.
 */

function checksumOf(doc: Record<string, unknown>): string {
  const { checksum: _ignored, ...rest } = doc;
  return `sha256:${createHash('sha256').update(JSON.stringify(rest)).digest('hex')}`;
}

/** The document as one line of JSON with its checksum. */
export function serializeWithChecksum(doc: Record<string, unknown>): string {
  doc.checksum = checksumOf(doc);
  return `${JSON.stringify(doc)}\n`;
}

/** The document when it parses, has the shape `validate` checks and its checksum matches; else why not. */
export function readCheckedDocument(text: string, validate: ValidateFunction, what: string): { doc: Record<string, unknown> } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (caught) {
    return { problem: `not a warden plan file: ${caught instanceof Error ? caught.message : String(caught)}` };
  }
  if (!validate(doc)) {
    const first = validate.errors?.[0];
    return { problem: `not a valid ${what} file: ${first ? `${first.instancePath || '/'} ${first.message ?? ''}` : 'wrong shape'}` };
  }
  const d = doc as Record<string, unknown>;
  if (typeof d.checksum !== 'string') return { problem: 'the plan file has no checksum (save plans with `warden plan --out FILE`)' };
  if (checksumOf(d) !== d.checksum) return { problem: 'the plan file was modified after it was saved (checksum mismatch)' };
  return { doc: d };
}

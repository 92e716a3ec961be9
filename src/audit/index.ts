import { renderAuditCsv } from './render-csv.js';
import { renderAuditHtml } from './render-html.js';
import { renderAuditJson } from './render-json.js';
import { renderAuditMarkdown } from './render-markdown.js';
import type { AuditReport } from './types.js';

export { buildAudit, type AuditOptions } from './build.js';
export type { AuditReport, Finding, FilterSet, CellKind, AuditSubject } from './types.js';

export type AuditFormat = 'html' | 'markdown' | 'csv' | 'json';
export const AUDIT_FORMATS: readonly AuditFormat[] = ['html', 'markdown', 'csv', 'json'];

/** The report in a format, as chunks to write one after another (never one giant string). */
export function renderAudit(report: AuditReport, format: AuditFormat): Iterable<string> {
  switch (format) {
    case 'html':
      return renderAuditHtml(report);
    case 'markdown':
      return renderAuditMarkdown(report);
    case 'csv':
      return renderAuditCsv(report);
    case 'json':
      return renderAuditJson(report);
  }
}

import type { Diagnostic } from './diagnostic.js';

/**
 * Machine formats of diagnostics: json (stable, for scripts), sarif 2.1.0 (GitHub code
 * scanning and other SARIF viewers) and github (workflow-command annotations).
 */

export function formatDiagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return `${JSON.stringify({ valid: errors === 0, errors, warnings: diagnostics.length - errors, diagnostics }, null, 2)}\n`;
}

export function formatDiagnosticsSarif(diagnostics: readonly Diagnostic[], toolVersion: string): string {
  const ruleIds = [...new Set(diagnostics.map((d) => d.code))].sort();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'warden', version: toolVersion, informationUri: 'https://github.com/warden-policies/warden', rules: ruleIds.map((id) => ({ id })) } },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          level: d.severity === 'error' ? 'error' : 'warning',
          message: { text: d.hint ? `${d.message} (${d.hint})` : d.message },
          locations: [physicalLocation(d.loc)],
          relatedLocations: (d.related ?? []).map((r, id) => ({ id, message: { text: r.message }, ...physicalLocation(r.loc) })),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function physicalLocation(loc: Diagnostic['loc']) {
  return {
    physicalLocation: {
      artifactLocation: { uri: loc.file },
      region: { startLine: Math.max(1, loc.line), startColumn: Math.max(1, loc.column), ...(loc.endLine ? { endLine: loc.endLine, endColumn: loc.endColumn } : {}) },
    },
  };
}

/** `::error file=…,line=…,col=…,title=CODE::message` — properties and message escaped per the workflow-command rules. */
export function formatDiagnosticsGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const props = [`file=${escapeProperty(d.loc.file)}`, `line=${d.loc.line}`, `col=${d.loc.column}`, `title=${escapeProperty(d.code)}`];
      if (d.loc.endLine) props.push(`endLine=${d.loc.endLine}`, `endColumn=${d.loc.endColumn}`);
      const text = d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
      return `::${d.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(text)}\n`;
    })
    .join('');
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

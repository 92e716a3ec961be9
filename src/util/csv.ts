/**
 * CSV as RFC 4180 writes it: fields separated by commas, records ended by CRLF, a field
 * quoted (with inner quotes doubled) when it holds a comma, a quote, CR or LF.
 *
 * Formula injection: a spreadsheet evaluates a cell that starts with `=`, `+`, `-`, `@`
 * (and, in some programs, TAB or CR) as a formula. The CSVs warden writes are opened by admins
 * in spreadsheets as often as they are loaded into a platform, so every cell is classified
 * here and each caller decides what a formula-looking cell means for that column:
 * - free text (descriptions, display names) is neutralised with a leading `'`, which spreadsheets
 *   hide and which changes nothing a platform matches on;
 * - identifiers and filter values (logins, group names, attribute values) are REJECTED by the
 *   caller with a diagnostic: prefixing them would change the value a platform matches on
 *   (a `not in` filter would then fail open), so the only safe choice is to refuse.
 * Plain numbers (`-5`, `-1.25`) are not formulas and pass untouched.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/** Whether a spreadsheet could read this cell as a formula. */
export function looksLikeFormula(value: string): boolean {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value);
}

/** Free text made safe for spreadsheets: a formula-looking cell gets a leading `'`. */
export function neutraliseFormula(value: string): string {
  return looksLikeFormula(value) ? `'${value}` : value;
}

/** One field, quoted by RFC 4180 when it needs to be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * A whole CSV document: the header and the rows, each record ended by CRLF.
 * Callers pass rows already sorted; every row must have as many cells as the header.
 */
export function csvDocument(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows].map((row, index) => {
    if (row.length !== header.length) throw new Error(`CSV row ${index} has ${row.length} cells, the header ${header.length}`);
    return row.map(csvField).join(',');
  });
  return lines.map((line) => `${line}\r\n`).join('');
}

/** Parses RFC 4180 CSV (for tests and round trips): records of fields. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      index += 1;
      continue;
    }
    if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 1;
    } else field += char;
    index += 1;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

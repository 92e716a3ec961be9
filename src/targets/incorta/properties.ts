/**
 * `.properties` files as java.util.Properties#store writes them, so that Incorta's loader
 * reads back exactly the value warden meant: `\`, TAB/LF/CR/FF, `= : # !` and a leading space
 * are escaped, and every character outside printable ASCII becomes `\uXXXX` (the format's
 * default encoding is ISO-8859-1, so a raw UTF-8 byte sequence would be misread).
 */

function escapeProperties(text: string, isKey: boolean): string {
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    const code = text.charCodeAt(index);
    if (char === ' ') out += index === 0 || isKey ? '\\ ' : ' ';
    else if (char === '\\') out += '\\\\';
    else if (char === '\t') out += '\\t';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\f') out += '\\f';
    else if ('=:#!'.includes(char)) out += `\\${char}`;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += char;
  }
  return out;
}

export function propertiesKey(key: string): string {
  return escapeProperties(key, true);
}

export function propertiesValue(value: string): string {
  return escapeProperties(value, false);
}

/** One `key=value` line per entry, in the order given (callers group them like the seed's tables). */
export function propertiesDocument(comment: readonly string[], entries: readonly (readonly [string, string])[]): string {
  const header = comment.map((line) => `# ${line.replace(/[\r\n]+/g, ' ')}\n`).join('');
  return header + entries.map(([key, value]) => `${propertiesKey(key)}=${propertiesValue(value)}\n`).join('');
}

/**
 * Text from policy files placed into generated Markdown (checklists, reports). Policy
 * strings are user input: without escaping, a description could open a link, a heading or a
 * table cell, or hide the next checklist item. Every Markdown-significant character is
 * backslash-escaped and line breaks become spaces, so one value stays one inline run.
 */
export function mdText(value: string): string {
  return value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_{}[\]<>#|~!&]/g, (char) => `\\${char}`);
}

/**
 * An identifier shown as inline code. The fence is one backtick longer than the longest run
 * of backticks inside, and padded when the value starts or ends with one (CommonMark rules).
 */
export function mdCode(value: string): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A checklist item an admin ticks off on a platform's screens. */
export function mdTask(text: string): string {
  return `- [ ] ${text}`;
}

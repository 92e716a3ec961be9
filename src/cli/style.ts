/** ANSI styling that disappears when colour is off (NO_COLOR, not a terminal). */
export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const COLOR: Style = { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), cyan: wrap(36, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
const identity = (s: string) => s;
export const PLAIN: Style = { red: identity, yellow: identity, green: identity, cyan: identity, dim: identity, bold: identity };

export function styleFor(color: boolean): Style {
  return color ? COLOR : PLAIN;
}

import type { Loc } from '../diagnostics/diagnostic.js';

/**
 * Converts 0-based character offsets of one file into 1-based line/column positions.
 * Offsets arrive almost always in increasing order (parser events), so the last line
 * found is tried first and binary search is only the fallback.
 */
export class LineIndex {
  private readonly lineStarts: number[];
  private lastLine = 0;

  constructor(
    readonly file: string,
    text: string,
  ) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.lineStarts = starts;
  }

  /** 0-based line index of an offset. */
  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let line = this.lastLine;
    if (offset >= starts[line] && (line + 1 >= starts.length || offset < starts[line + 1])) return line;
    if (offset >= starts[line] && line + 2 < starts.length && offset < starts[line + 2]) {
      this.lastLine = line + 1;
      return line + 1;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    line = lo;
    this.lastLine = line;
    return line;
  }

  loc(offset: number): Loc {
    const safe = offset < 0 ? 0 : offset;
    const line = this.lineOf(safe);
    return { file: this.file, line: line + 1, column: safe - this.lineStarts[line] + 1 };
  }

  /** A Loc covering [start, end). */
  range(start: number, end: number): Loc {
    const from = this.loc(start);
    if (end <= start) return from;
    const to = this.loc(end);
    return { ...from, endLine: to.line, endColumn: to.column };
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

/** The Loc of the start of a file, for problems that concern the whole file. */
export function fileStart(file: string): Loc {
  return { file, line: 1, column: 1 };
}

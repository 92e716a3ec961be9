import type { Loc } from '../diagnostics/diagnostic.js';

/** One access test of SPEC section 9, with the positions to point at when it fails. */
export interface AccessTest {
  file: string;
  name: string;
  loc: Loc;
  as: string;
  subject?: string;
  query?: string;
  expect: {
    access?: boolean;
    filters?: Record<string, 'all' | (string | number | boolean)[]>;
    rows?: (string | number | boolean | null)[][];
  };
}

export interface AccessTestFile {
  file: string;
  /** Project-relative SQL files. */
  fixtures: { path: string; loc: Loc }[];
  tests: AccessTest[];
}

export interface TestResult {
  file: string;
  name: string;
  loc: Loc;
  ok: boolean;
  /** Why it failed, one line. */
  message?: string;
  /** Expected (-) versus actual (+), line by line. */
  diff?: string[];
}

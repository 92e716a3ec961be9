import { compilePolicyTexts } from '../../pipeline.js';
import { accessDiff } from '../../plan/access-diff.js';
import { GitError, readPolicyFilesAt, resolveRevision } from '../../plan/git-revision.js';
import { renderAccessDiffJson } from '../../plan/render-access-diff-json.js';
import { renderAccessDiffMarkdown } from '../../plan/render-access-diff-markdown.js';
import { renderAccessDiffText } from '../../plan/render-access-diff-text.js';
import { oneOf, parseCommandArgs, UsageError } from '../args.js';
import { EXIT, type CliIO } from '../io.js';
import { compileForCommand, projectLocation } from '../project.js';
import { printDiagnostics } from '../report.js';
import { styleFor } from '../style.js';

export const HELP = `Usage: warden diff [DIR] --base GIT_REF [--format text|markdown|json]

Compiles the policies as they are at GIT_REF (read from git's objects; the working tree is not
touched) and as they are in the working tree, and prints the access diff: per user, groups,
roles, subjects and row filters gained and lost, with the full filter set before and after.
The markdown form is made for a pull-request comment: summary first, details collapsed, large
diffs summarised. warden.yaml of the working tree is used for both sides.

Options:
  --base GIT_REF   the revision to compare with (e.g. origin/main, HEAD~1, a tag)
  --format F       text (default), markdown or json (schemas/access-diff.schema.json)
  -h, --help       show this help`;

const FORMATS = ['text', 'markdown', 'json'] as const;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { base: { type: 'string' }, format: { type: 'string' } });
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return EXIT.ok;
  }
  if (values.base === undefined || values.base === '') throw new UsageError('--base GIT_REF is required');
  const format = oneOf(values.format, FORMATS, '--format', 'text');
  const location = projectLocation(positionals[0], io.cwd);
  const now = compileForCommand(io, positionals[0]);
  if (now.model === null) return EXIT.failure;
  let files: [string, string][];
  try {
    const commit = resolveRevision(location.root, values.base);
    files = readPolicyFilesAt(location.root, commit, location.policyPaths ?? now.config.policies);
  } catch (caught) {
    if (!(caught instanceof GitError)) throw caught;
    io.stderr(`warden diff: cannot read ${values.base}: ${caught.message}\n`);
    return EXIT.failure;
  }
  const base = compilePolicyTexts(now.config, files);
  if (base.model === null) {
    io.stderr(`warden diff: the policies at ${values.base} do not compile:\n`);
    printDiagnostics(io, base.diagnostics, base.sources);
    return EXIT.failure;
  }
  const diff = accessDiff(base.model, now.model);
  if (format === 'json') io.stdout(renderAccessDiffJson(diff));
  else if (format === 'markdown') io.stdout(renderAccessDiffMarkdown(diff, { title: `warden access diff against ${values.base}` }));
  else io.stdout(renderAccessDiffText(diff, { style: styleFor(io.color) }));
  return EXIT.ok;
}

import { execFileSync } from 'node:child_process';

/**
 * Policy files as they are at a git revision, read from git's objects (`ls-tree`, `cat-file`)
 * so the working tree and index are never touched. Paths are relative to `root`, the project
 * folder, which may be anywhere inside the repository.
 */

export class GitError extends Error {}

const MAX_BUFFER = 256 * 1024 * 1024;

function git(root: string, args: string[]): string {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (caught) {
    const stderr = (caught as { stderr?: string }).stderr?.trim();
    throw new GitError(stderr || (caught instanceof Error ? caught.message : String(caught)));
  }
}

/** Resolves REF to a commit, or throws a GitError saying why not. */
export function resolveRevision(root: string, ref: string): string {
  if (ref.startsWith('-')) throw new GitError(`"${ref}" is not a revision`);
  return git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim();
}

/** Every *.yaml / *.yml file under the given folders (project-relative) at `commit`, with its text. */
export function readPolicyFilesAt(root: string, commit: string, folders: string[]): [string, string][] {
  const listed = git(root, ['ls-tree', '-r', '-z', '--name-only', commit, '--', ...folders.map((f) => (f === '.' ? '.' : f))]);
  const files = listed
    .split('\0')
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  return files.map((file) => [file, git(root, ['cat-file', 'blob', `${commit}:./${file}`])]);
}

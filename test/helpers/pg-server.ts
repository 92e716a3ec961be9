import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` into a temp folder, started
 * with `pg_ctl` listening only on a unix socket in that folder, removed on `stop()`.
 * Tests never assume a server is running; they start their own.
 * When run as root, PostgreSQL refuses to start, so the cluster runs as the `postgres` OS user.
 */

export interface PgServer {
  /** Connection settings for `pg` (socket directory as host). */
  config: { host: string; port: number; user: string; database: string };
  /** A `postgres://` URL with the socket directory as host. */
  url: string;
  stop(): void;
}

export function findPgBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length === 0 ? null : path.join(base, versions[0], 'bin');
}

export function startPgServer(options: { port?: number; settings?: Record<string, string> } = {}): PgServer {
  const bin = findPgBin();
  if (bin === null) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); .ci/run installs it');
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-pg-'));
  const asRoot = process.getuid?.() === 0;
  let uid = 0;
  let gid = 0;
  if (asRoot) {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]): void => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : [cmd, args] as const;
    const result = spawnSync(full[0], full[1] as string[], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed (${result.status}): ${result.stderr || result.stdout}`);
  };
  const data = path.join(dir, 'data');
  const user = 'postgres';
  run(path.join(bin, 'initdb'), ['-D', data, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  // A port number only names the socket file; nothing listens on TCP.
  const port = options.port ?? 20000 + Math.floor(Math.random() * 20000);
  const settings = {
    listen_addresses: "''",
    unix_socket_directories: `'${dir}'`,
    port: String(port),
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    ...options.settings,
  };
  const opts = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', '-o', opts, 'start']);
  let stopped = false;
  // A test process that ends without its afterAll (a crash, a failed setup) still stops its cluster.
  const onExit = () => server.stop();
  process.once('exit', onExit);
  const server: PgServer = {
    config: { host: dir, port, user, database: 'postgres' },
    url: `postgres://${user}@${encodeURIComponent(dir)}:${port}/postgres`,
    stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        if (existsSync(dir) && statSync(dir).isDirectory()) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return server;
}

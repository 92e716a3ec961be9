import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedModel } from '../../src/resolve/model.js';
import { gooddataPlatform } from '../../src/targets/gooddata/index.js';
import { holisticsPlatform } from '../../src/targets/holistics/index.js';
import type { HttpClient, HttpClientOptions } from '../../src/targets/http/client.js';
import type { PlatformAdapter } from '../../src/targets/http/platform.js';
import type { CompileContext } from '../../src/targets/target.js';
import { gooddataHandler, gooddataState, type GooddataState } from './mock-server/gooddata.js';
import { holisticsHandler, holisticsState, type HolisticsState } from './mock-server/holistics.js';
import { startMockServer, type MockServer } from './mock-server/server.js';

/** The secret the mock expects; tests check it never leaks into journals, plans or errors. */
export const TOKEN = 'test-secret-token-3f9a1c';

export interface Rig {
  server: MockServer;
  adapter: PlatformAdapter<unknown>;
  client: HttpClient;
  journalPath: string;
  /** Every wait the client asked for, in ms (sleeping is a no-op here: tests never wait). */
  waits: number[];
  gooddata?: GooddataState;
  holistics?: HolisticsState;
}

/** Starts a mock platform for a target of a compiled project and points the target at it. */
export async function rig(model: ResolvedModel, base: CompileContext, clientOptions: Partial<HttpClientOptions> = {}): Promise<Rig> {
  const type = base.target.type;
  const gooddata = type === 'gooddata' ? gooddataState() : undefined;
  const holistics = type === 'holistics' ? holisticsState() : undefined;
  if (gooddata) {
    // Legacy: the project's users exist on the platform (warden binds to them, never creates them).
    gooddata.legacy.users = [...model.users.keys()].sort().map((login, i) => ({ login, self: `/gdc/account/profile/u${i.toString(16).padStart(8, '0')}` }));
  }
  const server = await startMockServer(
    gooddata ? gooddataHandler(gooddata) : holisticsHandler(holistics!),
    type === 'gooddata' ? { header: 'authorization', value: `Bearer ${TOKEN}` } : { header: 'x-holistics-key', value: TOKEN },
  );
  const secretKey = base.target.options.api_key !== undefined ? 'api_key' : 'token';
  const ctx: CompileContext = {
    ...base,
    target: { ...base.target, options: { ...base.target.options, endpoint: server.url, [secretKey]: '${PLATFORM_TOKEN}' } },
    env: { PLATFORM_TOKEN: TOKEN },
  };
  const waits: number[] = [];
  const options: Partial<HttpClientOptions> = {
    sleep: async (ms) => {
      waits.push(ms);
    },
    timeoutMs: 2_000,
    ...clientOptions,
  };
  const platform = type === 'gooddata' ? gooddataPlatform(model, ctx, options) : holisticsPlatform(model, ctx, options);
  if (!platform.adapter || !platform.client) {
    await server.close();
    throw new Error(`cannot set up ${base.target.name}: ${platform.diagnostics.map((d) => d.message).join('; ')}`);
  }
  const journalPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'warden-journal-')), '.warden', base.target.name, 'journal.json');
  return { server, adapter: platform.adapter, client: platform.client, journalPath, waits, gooddata, holistics };
}

/** Writes the platform acted on, keyed by method, path and body: a key seen twice is a duplicate write. */
export function appliedWrites(server: MockServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of server.log) {
    if (!entry.applied) continue;
    const key = `${entry.method} ${entry.path} ${JSON.stringify(entry.body)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

import type { TargetDefinition } from './target.js';
import { postgresTarget } from './postgres/index.js';
import { gooddataTarget } from './gooddata/index.js';
import { holisticsTarget } from './holistics/index.js';
import { incortaTarget } from './incorta/index.js';
import { inmydataTarget } from './inmydata/index.js';
import { typescriptTarget } from './typescript/index.js';

/** Every target type warden knows, by the `type` written in warden.yaml. */
const TARGETS: ReadonlyMap<string, TargetDefinition> = new Map(
  [postgresTarget, gooddataTarget, holisticsTarget, incortaTarget, inmydataTarget, typescriptTarget].map((t) => [t.type, t]),
);

export function targetDefinition(type: string): TargetDefinition | undefined {
  return TARGETS.get(type);
}

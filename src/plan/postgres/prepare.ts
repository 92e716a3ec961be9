import { hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { subjectAccess } from '../../resolve/access.js';
import type { ResolvedModel } from '../../resolve/model.js';
import { buildDesiredState, type DesiredState } from '../../targets/postgres/desired-state.js';
import { readPostgresOptions } from '../../targets/postgres/options.js';
import type { TargetConfig } from '../../targets/target.js';
import type { PlanTarget } from '../plan-types.js';
import { locateTarget, type TargetLocation } from './connection.js';

/** Everything plan and apply need of a postgres target before touching the database. */
export interface PreparedTarget {
  config: TargetConfig;
  schema: string;
  location: TargetLocation;
  planTarget: PlanTarget;
  /** Absent when only the connection is needed (applying a saved plan). */
  state?: DesiredState;
}

export function preparePostgresTarget(
  target: TargetConfig,
  root: string,
  env: Readonly<Record<string, string | undefined>>,
  model: ResolvedModel | null,
): { prepared: PreparedTarget | null; diagnostics: Diagnostic[] } {
  const { options, diagnostics } = readPostgresOptions(target);
  const located = locateTarget(target, root, env);
  diagnostics.push(...located.diagnostics);
  if (hasErrors(diagnostics) || located.location === null) return { prepared: null, diagnostics };
  const prepared: PreparedTarget = {
    config: target,
    schema: options.schema,
    location: located.location,
    planTarget: { name: target.name, type: target.type, location: located.location.description },
  };
  if (model !== null) {
    const built = buildDesiredState(model, options, subjectAccess);
    diagnostics.push(...built.diagnostics);
    prepared.state = built.state;
  }
  return { prepared: hasErrors(diagnostics) ? null : prepared, diagnostics };
}

import type { ProjectConfig } from '../project/config.js';
import type { TargetConfig } from '../targets/target.js';
import { UsageError } from './args.js';

/** The target a command works on: `--target NAME`, or the only one configured. */
export function chooseTarget(config: ProjectConfig, name: string | undefined): TargetConfig {
  const names = [...config.targets.keys()].sort();
  if (name !== undefined) {
    const target = config.targets.get(name);
    if (!target) throw new UsageError(names.length ? `no target "${name}" in warden.yaml (targets: ${names.join(', ')})` : `no target "${name}": warden.yaml defines no targets`);
    return target;
  }
  if (names.length === 1) return config.targets.get(names[0])!;
  throw new UsageError(names.length ? `choose a target with --target (${names.join(', ')})` : 'warden.yaml defines no targets');
}

import { error, type Diagnostic, type Loc } from '../../diagnostics/diagnostic.js';
import type { PolicySet } from '../../model/policy.js';
import { isCloudId, isLegacyObjectUri } from './maql.js';
import type { GooddataApi } from './config.js';

/**
 * Which subjects GoodData filters, and on which label (cloud) or attribute (legacy) each of their
 * fields is filtered, from `subjects.<s>.platforms.gooddata`:
 *   cloud:  { labels: { <field>: <label id> } }        (`attributes` accepted as a synonym)
 *   legacy: { attributes: { <field>: /gdc/md/<project>/obj/<id> } }
 */
export interface GooddataSubject {
  subject: string;
  loc: Loc;
  /** field -> label id (cloud) or attribute URI (legacy). */
  fields: Map<string, string>;
}

export function gooddataSubjects(policy: PolicySet, api: GooddataApi): { subjects: GooddataSubject[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const subjects: GooddataSubject[] = [];
  for (const name of [...policy.subjects.keys()].sort()) {
    const platform = policy.subjects.get(name)!.platforms.gooddata;
    if (platform === undefined) continue;
    const raw = api === 'cloud' ? (platform.value.labels ?? platform.value.attributes) : platform.value.attributes;
    const key = api === 'cloud' ? 'labels' : 'attributes';
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      diagnostics.push(error('E-GOODDATA-MAPPING', `subject "${name}" has no \`platforms.gooddata.${key}\` mapping its fields to GoodData ${api === 'cloud' ? 'labels' : 'attributes'}`, platform.loc));
      continue;
    }
    const fields = new Map<string, string>();
    for (const [field, id] of Object.entries(raw as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const valid = typeof id === 'string' && (api === 'cloud' ? isCloudId(id) : isLegacyObjectUri(id));
      if (!valid) {
        diagnostics.push(
          error('E-GOODDATA-MAPPING', `subject "${name}" field "${field}": ${JSON.stringify(id)} is not a GoodData ${api === 'cloud' ? 'label id' : 'attribute URI'}`, platform.loc, {
            hint: api === 'cloud' ? 'api: cloud takes label ids such as `country_name`; URIs like /gdc/md/… are for api: legacy' : 'api: legacy takes attribute URIs such as /gdc/md/<project>/obj/1049',
          }),
        );
        continue;
      }
      fields.set(field, id as string);
    }
    subjects.push({ subject: name, loc: platform.loc, fields });
  }
  return { subjects, diagnostics };
}

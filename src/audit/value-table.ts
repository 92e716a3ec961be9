import type { AttributeValues, Scalar } from '../model/policy.js';
import { formatValues } from '../plan/access-diff-format.js';

/**
 * Distinct typed value sets, interned by content, so that a user's value of an attribute is one
 * integer. Id 0 is none (the empty set), id 1 is `all`. The state says what a condition against
 * the set can mean (SPEC 4): 0 none, 1 some values, 2 all.
 */
export const NONE_ID = 0;
export const ALL_ID = 1;

export class ValueTable {
  readonly values: ('all' | Scalar[])[] = [[], 'all'];
  readonly state: number[] = [0, 2];
  private readonly byContent = new Map<string, number>([
    ['', NONE_ID],
    ['\u0000all', ALL_ID],
  ]);
  /** The resolver shares value objects among users who got a value the same way: a cache in front. */
  private readonly byObject = new WeakMap<object, number>();

  /** The id of a resolved attribute value. */
  id(value: AttributeValues): number {
    let id = this.byObject.get(value);
    if (id === undefined) {
      id = value.kind === 'all' ? ALL_ID : this.idOf(value.values);
      this.byObject.set(value, id);
    }
    return id;
  }

  /** The id of a sorted, de-duplicated typed list (or `all`). */
  idOf(values: 'all' | readonly Scalar[]): number {
    if (values === 'all') return ALL_ID;
    let key = '';
    for (let i = 0; i < values.length; i++) key += `${i === 0 ? '' : '\u0001'}${typeof values[i]}:${String(values[i])}`;
    let id = this.byContent.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push([...values]);
      this.state.push(values.length === 0 ? 0 : 1);
      this.byContent.set(key, id);
    }
    return id;
  }

  /** `{a, b}`, `{}` or `all`, the wording of filters (access-diff-format.ts). */
  text(id: number): string {
    return formatValues(this.values[id]);
  }
}

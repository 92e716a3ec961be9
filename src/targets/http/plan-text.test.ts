import { describe, expect, it } from 'vitest';
import type { PlatformPlan } from './platform.js';
import { formatPlatformPlan } from './plan-text.js';

const base: PlatformPlan = { version: 1, target: 'gd', type: 'gooddata', changes: [], requests: [], bindings: {}, notes: [], liveFingerprint: 'a', fingerprint: 'b' };

describe('formatPlatformPlan', () => {
  it('lists each change with its whole state before and after, then a summary', () => {
    const text = formatPlatformPlan({
      ...base,
      changes: [
        { action: 'create', kind: 'userGroup', id: 'vietnam', after: { parents: ['apac'], name: 'vietnam' } },
        { action: 'update', kind: 'userDataFilter', id: 'vn@acme.com', before: { maql: '1 <> 1' }, after: { maql: '{label/country} = "VN"' } },
        { action: 'delete', kind: 'membership', id: 'vn@acme.com in singapore' },
      ],
      requests: [{ method: 'PUT', path: '/x' }],
      notes: ['user "x" is not in the policies'],
    });
    expect(text).toBe(
      [
        '+ create userGroup vietnam',
        '    after:  {"name":"vietnam","parents":["apac"]}',
        '~ update userDataFilter vn@acme.com',
        '    before: {"maql":"1 <> 1"}',
        '    after:  {"maql":"{label/country} = \\"VN\\""}',
        '- delete membership vn@acme.com in singapore',
        '! user "x" is not in the policies',
        'Plan for target "gd": 1 to create, 1 to update, 1 to delete (1 request).',
        '',
      ].join('\n'),
    );
  });

  it('says when there is nothing to do', () => {
    expect(formatPlatformPlan(base)).toBe('No changes: target "gd" matches the policies.\n');
  });
});

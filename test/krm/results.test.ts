import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/index.js';
import { adapterResult, findingResult, formatResult, hasErrors, sortResults } from '../../src/krm/results.js';
import type { KrmResult } from '../../src/krm/results.js';
import { KPT_EMPTY_FUNCTION_CONFIG, kptAnnotations, stream } from '../support/krm.js';

const unknownEventType: Finding = {
  id: 'unknown-event-type',
  severity: 'error',
  message: 'spec.subscriptions[1]: "user.blocked" is not an Auth0 event type; did you mean "user.updated"?',
  path: 'spec.subscriptions[1]',
  currentValue: 'user.blocked',
  proposedValue: 'user.updated',
};

describe('findingResult', () => {
  it('fills resourceRef, field and file from the stream, and tags the rule', () => {
    const orders = stream('orders', { namespace: 'shop', annotations: kptAnnotations('streams.yaml', 2, 7) });
    expect(findingResult(unknownEventType, orders)).toStrictEqual({
      message: '"user.blocked" is not an Auth0 event type; did you mean "user.updated"?',
      severity: 'error',
      resourceRef: { apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream', name: 'orders', namespace: 'shop' },
      field: { path: 'spec.subscriptions[1]', currentValue: 'user.blocked', proposedValue: 'user.updated' },
      file: { path: 'streams.yaml', index: 2 },
      tags: { rule: 'unknown-event-type' },
    });
  });

  it('falls back to the legacy path annotations and to index 0', () => {
    const orders = stream('orders', { annotations: { 'config.kubernetes.io/path': 'legacy.yaml' } });
    const finding: Finding = { id: 'duplicate-subscription', severity: 'warning', message: 'careful', path: 'spec' };
    expect(findingResult(finding, orders)).toStrictEqual({
      message: 'careful',
      severity: 'warning',
      resourceRef: { apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream', name: 'orders' },
      field: { path: 'spec' },
      file: { path: 'legacy.yaml', index: 0 },
      tags: { rule: 'duplicate-subscription' },
    });
  });

  it("has no resourceRef for a subject without a name (kpt's placeholder config has one) and no file without a path", () => {
    const finding: Finding = { id: 'unknown-field', severity: 'error', message: 'data.colour is not a known setting.', path: 'data.colour' };
    expect([findingResult(finding, {}), findingResult(finding, KPT_EMPTY_FUNCTION_CONFIG)]).toStrictEqual([
      { message: 'data.colour is not a known setting.', severity: 'error', field: { path: 'data.colour' }, tags: { rule: 'unknown-field' } },
      {
        message: 'data.colour is not a known setting.',
        severity: 'error',
        resourceRef: { apiVersion: 'v1', kind: 'ConfigMap', name: 'function-input' },
        field: { path: 'data.colour' },
        tags: { rule: 'unknown-field' },
      },
    ]);
  });
});

describe('sortResults', () => {
  const result = (severity: KrmResult['severity'], message: string, extra: Partial<KrmResult> = {}): KrmResult => ({ message, severity, ...extra });

  it('orders by severity, file, index, resource, field path, then message', () => {
    const inOrder: KrmResult[] = [
      result('error', 'no file'),
      result('error', 'b', { file: { path: 'a.yaml', index: 0 }, field: { path: 'spec.a' } }),
      result('error', 'a', { file: { path: 'a.yaml', index: 0 }, field: { path: 'spec.b' } }),
      result('error', 'a', { file: { path: 'a.yaml', index: 1 } }),
      result('error', 'a', { file: { path: 'b.yaml', index: 0 } }),
      result('warning', 'a', { resourceRef: { apiVersion: 'v1', kind: 'A', name: 'x' } }),
      result('warning', 'a', { resourceRef: { apiVersion: 'v1', kind: 'B', name: 'x' } }),
      result('info', 'a'),
      result('info', 'b'),
    ];
    expect(sortResults([...inOrder].reverse())).toStrictEqual(inOrder);
  });
});

describe('formatResult', () => {
  it('writes one line: severity, file[index], Kind/[namespace/]name, field path, message', () => {
    const lines = [
      findingResult(unknownEventType, stream('orders', { annotations: kptAnnotations('streams.yaml', 0) })),
      findingResult(unknownEventType, stream('orders', { namespace: 'shop' })),
      adapterResult('target-policy-statement', 'info', 'nothing to do'),
    ].map(formatResult);
    expect(lines).toStrictEqual([
      'error: streams.yaml[0] Auth0EventStream/orders spec.subscriptions[1]: "user.blocked" is not an Auth0 event type; did you mean "user.updated"?',
      'error: Auth0EventStream/shop/orders spec.subscriptions[1]: "user.blocked" is not an Auth0 event type; did you mean "user.updated"?',
      'info: nothing to do',
    ]);
  });
});

describe('hasErrors', () => {
  it('is true only when some result is an error', () => {
    expect([
      hasErrors([]),
      hasErrors([adapterResult('route-stream-not-found', 'warning', 'w')]),
      hasErrors([adapterResult('target-policy-statement', 'info', 'i'), adapterResult('invalid-item', 'error', 'e')]),
    ]).toStrictEqual([false, false, true]);
  });
});

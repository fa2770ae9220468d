/**
 * A package rendered again — its streams marked, the resources generated for them in their files — comes back
 * as kpt sent it: a generated resource regenerated as it was is written as its own text, however kpt wrote it,
 * and one that changed is written anew.
 */
import { describe, expect, it } from 'vitest';
import { runResourceList } from '../../src/krm/run.js';
import { sameData } from '../../src/core/same-data.js';
import { parseYaml, stringifyYaml } from '../../src/krm/yaml.js';
import { eventbridgeSpec, kptAnnotations, resourceList, stream } from '../support/krm.js';

const encode = (text: string) => new TextEncoder().encode(text);

/** A first render's output as the input of the next render, its quoted values single-quoted as kpt writes them. */
function renderedAgain(): string {
  const items = [
    stream('orders', { namespace: 'shop', annotations: kptAnnotations('streams.yaml', 0) }),
    stream('billing', {
      namespace: 'shop',
      spec: eventbridgeSpec(),
      status: { outputs: { aws_partner_event_source: 'aws.partner/auth0.com/acme-fbedbd06-5747-42cc-afde-016050660582/auth0.events' } },
      annotations: kptAnnotations('streams.yaml', 1),
    }),
  ];
  const first = runResourceList(encode(stringifyYaml(resourceList(items))));
  expect(first.exitCode).toBe(0);
  return first.stdout.replace(/: "([0-9]+|true)"$/gm, ": '$1'");
}

describe('a package rendered again', () => {
  it('comes back byte for byte when nothing changed', () => {
    const input = renderedAgain();
    expect(input).toContain("internal.config.kubernetes.io/index: '0'");
    const run = runResourceList(encode(input));
    expect(run).toStrictEqual({ stdout: input, stderr: [], exitCode: 0 });
  });

  it('writes a generated resource anew when its stream changed, and the others as they were', () => {
    const input = renderedAgain().replace('https://hooks.example.com/auth0', 'https://hooks.example.com/moved');
    const run = runResourceList(encode(input));
    expect(run.exitCode).toBe(0);
    const workspaces = (parseYaml(run.stdout) as { items: Array<{ kind: string; metadata: { name: string }; spec: { forProvider: { module: string } } }> }).items.filter(
      (item) => item.kind === 'Workspace',
    );
    expect(workspaces.find((item) => item.metadata.name === 'orders-auth0-stream')!.spec.forProvider.module).toContain('https://hooks.example.com/moved');
    // The changed Workspace is serialized (double quotes); the unchanged bus of billing keeps kpt's quotes.
    const orders = run.stdout.slice(run.stdout.indexOf('name: orders-auth0-stream'));
    expect(orders.slice(0, orders.indexOf('\n- '))).toContain('internal.config.kubernetes.io/index: "0"');
    const bus = run.stdout.slice(run.stdout.indexOf('name: billing-partner-bus'));
    expect(bus.slice(0, bus.indexOf('\n- '))).toMatch(/internal.config.kubernetes.io\/index: '[0-9]+'/);
  });
});

describe('sameData', () => {
  it('is equality of data, key order included', () => {
    expect(sameData({ a: [1, 'x', null, { b: true }] }, { a: [1, 'x', null, { b: true }] })).toBe(true);
    expect(sameData({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameData({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameData([0], [-0])).toBe(false);
    expect(sameData([1, 2], { 0: 1, 1: 2 })).toBe(false);
    expect(sameData(Number.NaN, Number.NaN)).toBe(true);
  });
});

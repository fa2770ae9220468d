/**
 * Where generated resources land in a package: never outside it, never at a (path, index) another item holds —
 * also as a case-insensitive file system compares paths — and never in the file of another stream.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { generatedFileStem } from '../../src/core/index.js';
import { processResourceList } from '../../src/krm/process.js';
import { sourceFileOf } from '../../src/krm/annotations.js';
import { SEED } from '../hostile/arbitraries.js';
import { recordCount } from '../hostile/summary.js';
import { configMap, expansionConfig, itemsOf, kptAnnotations, resourceList, runOn, stream } from '../support/krm.js';

const LOCAL = { 'config.kubernetes.io/local-config': 'true' } as const;
/** Each namespace has its own ProviderConfig, so streams of one name in two namespaces are allowed (a warning). */
const perNamespaceTenants = expansionConfig({ terraform: { providerConfigRef: { kind: 'ProviderConfig' } } });

function positions(items: readonly KubeObject[]): Array<[string, number]> {
  return items.flatMap((item) => {
    const file = sourceFileOf(item);
    return file === undefined ? [] : [[file.path, file.index] as [string, number]];
  });
}

const generatedOnly = (items: readonly KubeObject[]) => items.filter((item) => item.kind !== 'Auth0EventStream' && item.kind !== 'ConfigMap');

describe('generated file names', () => {
  it.each([
    ['orders', 'orders'],
    ['crm-user-sync', 'crm-user-sync'],
    ['../../../escaped', /^escaped\.[0-9a-f]{8}$/],
    ['a/b', /^a-b\.[0-9a-f]{8}$/],
    ['line\nbreak', /^line-break\.[0-9a-f]{8}$/],
    ['Orders', /^orders\.[0-9a-f]{8}$/],
    ['..', /^stream\.[0-9a-f]{8}$/],
    ['Ünïcødé ✓', /^n-c-d\.[0-9a-f]{8}$/],
    ['nul', /^nul-stream\.[0-9a-f]{8}$/],
    ['COM1', /^com1-stream\.[0-9a-f]{8}$/],
    ['con-x', 'con-x'],
  ])('%j → %s', (name, want) => {
    const stem = generatedFileStem(name);
    if (typeof want === 'string') expect(stem).toBe(want);
    else expect(stem).toMatch(want);
  });

  it('writes a stream named ../../../escaped next to the stream, not outside the package', () => {
    const escaped = stream('../../../escaped', { namespace: 'shop', annotations: { ...kptAnnotations('streams/all.yaml', 0), ...LOCAL } });
    const files = positions(generatedOnly(itemsOf(runOn(resourceList([escaped])))));
    expect(files.length).toBeGreaterThan(0);
    expect(files.every(([path]) => /^streams\/escaped\.[0-9a-f]{8}\.generated\.yaml$/.test(path))).toBe(true);
  });

  it('gives Orders and orders files that differ on a case-insensitive file system', () => {
    const upper = stream('Orders', { namespace: 'shop', annotations: { ...kptAnnotations('streams.yaml', 0), ...LOCAL } });
    const lower = stream('orders', { namespace: 'shop', annotations: { ...kptAnnotations('streams.yaml', 1), ...LOCAL } });
    const run = runOn(resourceList([upper, lower]));
    const files = new Set(positions(generatedOnly(itemsOf(run))).map(([path]) => path.toLowerCase()));
    expect(run.exitCode).toBe(0);
    expect(files.size).toBe(2);
  });

  it('refuses a stream whose own path leaves the package, naming it', () => {
    const outside = stream('orders', { namespace: 'shop', annotations: { 'internal.config.kubernetes.io/path': '../elsewhere/streams.yaml', ...LOCAL } });
    const run = runOn(resourceList([outside]));
    expect({ exitCode: run.exitCode, items: itemsOf(run), rules: (run.output['results'] as Array<{ tags: { rule: string } }>).map((result) => result.tags.rule) }).toStrictEqual({
      exitCode: 1,
      items: [outside],
      rules: ['generated-file-outside-package'],
    });
  });

  it('normalizes the directory of the stream', () => {
    const dotted = stream('orders', { namespace: 'shop', annotations: { 'internal.config.kubernetes.io/path': './a/../b/streams.yaml', ...LOCAL } });
    expect(new Set(positions(generatedOnly(itemsOf(runOn(resourceList([dotted]))))).map(([path]) => path))).toStrictEqual(new Set(['b/orders.generated.yaml']));
  });
});

describe('generated positions', () => {
  it('numbers after the items of a user file that already has the generated name', () => {
    const orders = stream('orders', { namespace: 'shop', annotations: { ...kptAnnotations('orders.yaml', 0), ...LOCAL } });
    const mine = configMap('mine', { a: '1' }, kptAnnotations('orders.generated.yaml', 0));
    const items = itemsOf(runOn(resourceList([orders, mine])));
    expect(positions(items)).toStrictEqual([
      ['orders.yaml', 0],
      ['orders.generated.yaml', 0],
      ['orders.generated.yaml', 1],
    ]);
  });

  it('numbers after the stream when the stream itself is stored in <name>.generated.yaml, and stays put on the next run', () => {
    const orders = stream('orders', { namespace: 'shop', annotations: { ...kptAnnotations('orders.generated.yaml', 0), ...LOCAL } });
    const first = itemsOf(runOn(resourceList([orders])));
    expect(positions(first)).toStrictEqual([
      ['orders.generated.yaml', 0],
      ['orders.generated.yaml', 1],
    ]);
    expect(itemsOf(runOn(resourceList(first)))).toStrictEqual(first);
  });

  it("keeps a failed stream's earlier resources where they are and numbers another stream's new ones around them", () => {
    const a = stream('orders', { namespace: 'a', annotations: { ...kptAnnotations('streams.yaml', 0), ...LOCAL } });
    const b = stream('orders', { namespace: 'b', annotations: { ...kptAnnotations('streams.yaml', 1), ...LOCAL } });
    const aOnly = itemsOf(runOn(resourceList([a], perNamespaceTenants)));
    const brokenA = { ...a, spec: { ...(a['spec'] as object), subscriptions: ['user.blocked'] } };
    const run = runOn(resourceList([brokenA, b, ...aOnly.slice(1)], perNamespaceTenants));
    expect(run.exitCode).toBe(1);
    const taken = positions(itemsOf(run)).map(([path, index]) => `${path}#${index}`);
    expect(new Set(taken).size).toBe(taken.length);
  });

  it('writes into an existing file of another case under its spelling, after its items', () => {
    const orders = stream('orders', { namespace: 'shop', annotations: { ...kptAnnotations('orders.yaml', 0), ...LOCAL } });
    const mine = configMap('mine', { a: '1' }, kptAnnotations('Orders.generated.yaml', 0));
    expect(positions(generatedOnly(itemsOf(runOn(resourceList([orders, mine])))))).toStrictEqual([['Orders.generated.yaml', 1]]);
  });
});

describe('property: arbitrary stream names', () => {
  let runs = 0;
  let generated = 0;
  afterAll(() => recordCount('property cases: generated file paths', runs));

  const names = fc.oneof(
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    fc.stringMatching(/^[A-Za-z0-9./\\\- _\n]{1,24}$/),
    fc.constantFrom(
      '../../../escaped',
      '..',
      '.',
      '/',
      'a/b',
      'Orders',
      'orders',
      'ORDERS',
      'orders.generated',
      ' orders',
      'x\ny',
      'C:\\x',
      'con',
      'NUL',
      'aux',
      'com1',
      'Lpt9.x',
      'prn-',
    ),
  );
  const directories = fc.constantFrom('', 'streams/', 'Streams/', 'a/b/', './', 'a/../', 'x/./y/');
  const packages = fc.array(
    fc.record({ name: names, namespace: fc.constantFrom('a', 'b'), directory: directories, squatter: fc.option(fc.record({ caseOf: fc.boolean(), index: fc.nat(3) })) }),
    { minLength: 1, maxLength: 5 },
  );

  it('keeps every generated file inside the package, with a safe name, at a position no other item holds, one file per stream name', () => {
    fc.assert(
      fc.property(packages, (entries) => {
        runs += 1;
        const items: KubeObject[] = [];
        entries.forEach(({ name, namespace, directory, squatter }, index) => {
          items.push(stream(name, { namespace, annotations: { ...kptAnnotations(`${directory}streams-${index}.yaml`, 0), ...LOCAL } }));
          if (squatter !== null) {
            // A user item sitting exactly where the stream's generated file would go (perhaps in another case).
            const file = `${directory}${generatedFileStem(name)}.generated.yaml`;
            // Squatters of streams of one name share the file; each gets a position of its own (the input is a package).
            items.push(configMap(`squatter-${index}`, { a: '1' }, kptAnnotations(squatter.caseOf ? file.toUpperCase() : file, squatter.index * entries.length + index)));
          }
        });
        const outcome = processResourceList({ items, functionConfig: perNamespaceTenants });
        const taken = positions(outcome.items).map(([path, index]) => `${path.toLowerCase()}#${index}`);
        expect(new Set(taken).size, 'no two items share a (path, index)').toBe(taken.length);

        const fileByStream = new Map<string, Set<string>>();
        for (const item of outcome.items) {
          const owner = item.metadata.annotations?.['auth0.openmcf.org/generated-from'];
          const file = sourceFileOf(item);
          if (owner === undefined || file === undefined) continue;
          generated += 1;
          const segments = file.path.split('/');
          expect(file.path.startsWith('/'), file.path).toBe(false);
          expect(segments.includes('..') || segments.includes('.'), file.path).toBe(false);
          expect(segments.at(-1)!.toLowerCase(), file.path).toMatch(/^[a-z0-9][a-z0-9-]*(\.[0-9a-f]{8})?\.generated\.yaml$/);
          expect(segments.at(-1)!.split('.')[0], 'a Windows device name, whatever follows it, is no file there').not.toMatch(/^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i);
          const name = owner.slice(owner.indexOf('/') + 1);
          const files = fileByStream.get(name) ?? new Set<string>();
          files.add(file.path.toLowerCase());
          fileByStream.set(name, files);
        }
        const files = [...fileByStream.entries()].flatMap(([name, set]) => [...set].map((file) => [name, file] as const));
        const ownerOfFile = new Map<string, string>();
        for (const [name, file] of files) {
          const other = ownerOfFile.get(file);
          expect(other === undefined || other === name, `${file} holds resources of ${JSON.stringify(other)} and ${JSON.stringify(name)}`).toBe(true);
          ownerOfFile.set(file, name);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
    expect(generated, 'the cases generate resources at all').toBeGreaterThan(runs);
  });
});

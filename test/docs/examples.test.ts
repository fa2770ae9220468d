/**
 * The examples as the kpt function catalog documents them: metadata.yaml with the catalog's keys, a README per
 * example with what it shows, how to run it and the expected result; and the Crossplane example's expected
 * composition and `crossplane render` output checked against what the function answers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunFunctionRequest, Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runFunction } from '../../src/crossplane/compose.js';
import { repoRoot } from '../support/tools.js';

const CATALOG_KEYS = ['image', 'description', 'tags', 'sourceURL', 'examplePackageURLs', 'emails', 'license', 'hidden'];
const kptExamples = readdirSync(join(repoRoot, 'examples', 'kpt')).filter((name) => existsSync(join(repoRoot, 'examples', 'kpt', name, 'Kptfile')));
const exampleDirs = [...kptExamples.map((name) => `examples/kpt/${name}`), 'examples/kustomize', 'examples/kustomize-krm', 'examples/crossplane'];

describe('metadata.yaml', () => {
  const metadata = load(readFileSync(join(repoRoot, 'metadata.yaml'), 'utf8')) as Record<string, unknown>;

  it("uses the catalog's keys only, with the ones every catalog function has", () => {
    expect(Object.keys(metadata).filter((key) => !CATALOG_KEYS.includes(key))).toStrictEqual([]);
    for (const key of ['image', 'description', 'tags', 'sourceURL', 'examplePackageURLs', 'license']) expect(metadata[key], key).toBeDefined();
    expect(metadata['image']).toMatch(/^[a-z0-9.-]+\/[a-z0-9/-]+$/);
  });

  it('lists every kpt example package, each a directory of this repository under sourceURL', () => {
    const urls = metadata['examplePackageURLs'] as string[];
    const prefix = `${metadata['sourceURL'] as string}/tree/main/`;
    for (const url of urls) expect(url.startsWith(prefix), url).toBe(true);
    expect(urls.map((url) => url.slice(prefix.length)).sort()).toStrictEqual(kptExamples.map((name) => `examples/kpt/${name}`).sort());
  });
});

describe.each(exampleDirs)('%s/README.md', (dir) => {
  const readme = existsSync(join(repoRoot, dir, 'README.md')) ? readFileSync(join(repoRoot, dir, 'README.md'), 'utf8') : '';

  it('says what the example shows, how to run it and what to expect', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(expect.arrayContaining(['Overview', 'Function invocation', 'Expected result']));
    const expected = readme.slice(readme.indexOf('## Expected result'));
    expect(expected.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('<!--')).length, 'an expected result, not a heading').toBeGreaterThan(3);
  });

  it('names only files the example has', () => {
    const named = [...readme.matchAll(/`([\w./-]+\.(?:yaml|sh))`/g)].map((match) => match[1]!).filter((file) => !file.includes('*') && !file.endsWith('.generated.yaml'));
    for (const file of named) {
      const candidates = [join(repoRoot, dir, file), join(repoRoot, file)];
      expect(
        candidates.some((candidate) => existsSync(candidate)),
        `${dir}/README.md names ${file}`,
      ).toBe(true);
    }
  });
});

describe('examples/crossplane: the expected result, from the function', () => {
  const dir = join(repoRoot, 'examples', 'crossplane');
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const read = (file: string) => load(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  const composition = read('composition.yaml') as { spec: { pipeline: Array<{ input: Record<string, unknown> }> } };
  const render = (xrFile: string, observedFile?: string): RunFunctionResponse => {
    const observed = observedFile
      ? Object.fromEntries(
          (loadAll(readFileSync(join(dir, observedFile), 'utf8')) as Array<{ metadata: { annotations: Record<string, string> } }>).map((object) => [
            object.metadata.annotations['crossplane.io/composition-resource-name']!,
            { resource: object },
          ]),
        )
      : {};
    return runFunction(RunFunctionRequest.fromPartial({ observed: { composite: { resource: read(xrFile) }, resources: observed }, input: composition.spec.pipeline[0]!.input }));
  };

  it('composes what the table says, with the results it says', () => {
    const rows = [...readme.matchAll(/^\| `(xr-[\w-]+\.yaml)` \| (.+?) \| (.+?) \| (.+?) \|$/gm)];
    expect(rows).toHaveLength(4);
    for (const [, xr, observed, composed, results] of rows) {
      const observedFile = observed === 'none' ? undefined : /`([^`]+)`/.exec(observed!)![1];
      const response = render(xr!, observedFile);
      expect(Object.keys(response.desired?.resources ?? {}), `${xr} with ${observed}`).toStrictEqual([...composed!.matchAll(/`([^`]+)`/g)].map((match) => match[1]));
      const severities = response.results.map((result) => result.severity);
      if (results === 'none') expect(severities, `${xr} with ${observed}`).toStrictEqual([]);
      else expect(severities, `${xr} with ${observed}`).toStrictEqual([Severity.SEVERITY_NORMAL]);
    }
  });

  it('the crossplane render output shown is what the function returns, but for the fields Crossplane adds', () => {
    const block = /<!-- expected-render:(\S+) -->\n```yaml\n([\s\S]*?)```\n<!-- \/expected-render -->/.exec(readme);
    expect(block).not.toBeNull();
    const [xr, ...composed] = loadAll(block![2]!) as Array<Record<string, any>>;
    const response = render(block![1]!);
    const conditionStatus: Record<number, string> = { 1: 'Unknown', 2: 'True', 3: 'False' };
    expect(xr!['status'].conditions).toStrictEqual(
      response.conditions.map((condition) => ({
        type: condition.type,
        status: conditionStatus[condition.status],
        reason: condition.reason,
        ...(condition.message && { message: condition.message }),
      })),
    );
    const desired = response.desired?.resources ?? {};
    expect(composed.map((object) => object['metadata'].annotations['crossplane.io/composition-resource-name'])).toStrictEqual(Object.keys(desired));
    for (const object of composed) {
      const name = object['metadata'].annotations['crossplane.io/composition-resource-name'] as string;
      const actual = structuredClone(desired[name]!.resource) as Record<string, any>;
      actual['metadata'].annotations = { ...actual['metadata'].annotations, 'crossplane.io/composition-resource-name': name };
      expect(shownDiffers(object, actual), `${name}: ${shownDiffers(object, actual)}`).toBe('');
    }
  });
});

/** Where a value shown in a README differs from the real one ('' when it does not); `…` stands for any value. */
function shownDiffers(shown: unknown, actual: unknown, path = ''): string {
  if (shown === '…') return actual === undefined ? `${path} is missing` : '';
  if (shown !== null && typeof shown === 'object' && !Array.isArray(shown)) {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${path} is not an object`;
    const keys = new Set([...Object.keys(shown), ...Object.keys(actual)]);
    for (const key of keys) {
      const difference = shownDiffers((shown as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${path}.${key}`);
      if (difference !== '') return difference;
    }
    return '';
  }
  return JSON.stringify(shown) === JSON.stringify(actual) ? '' : `${path}: shown ${JSON.stringify(shown)}, actual ${JSON.stringify(actual)}`;
}

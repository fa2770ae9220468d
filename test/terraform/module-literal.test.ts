/**
 * Every string a user can put into the Workspace's Terraform JSON module comes back from the real `terraform`
 * binary byte for byte: nothing in it is evaluated (`${…}`, `%{…}`, `$${`, `%%{`, quotes, backslashes, control
 * characters, any Unicode, grapheme-cluster Prepend characters before a quote). The modules are the ones `workspace()` builds, from streams whose every field holds
 * arbitrary text; their resource blocks become outputs of a module with no provider, which Terraform applies
 * and prints. Many streams share one module, so a run costs three terraform invocations.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expandStream, readConfig, type KubeObject } from '../../src/core/index.js';
import { changedByTerraform, fromLiteral, literal, moduleJson, readableByTerraform, type ModuleObject, type ModuleValue } from '../../src/core/expand/terraform-module.js';
import { planDestination, streamResources } from '../../src/core/expand/index.js';
import { SECRET_FIELD, type AuthMethod, type SecretField } from '../../src/core/destinations/webhook.js';
import type { Stream, StreamBase } from '../../src/core/stream.js';
import { SEED } from '../hostile/arbitraries.js';
import { recordCount } from '../hostile/summary.js';
import { checkTool } from '../support/tools.js';

const terraform = checkTool('terraform');
const RUNS = 25;
const STREAMS_PER_RUN = 40;

/** The values Terraform gets for the secret variables (the test is about the module's text, not the secret). */
const SECRET_VALUES: Record<SecretField, string> = { token: 'token-value', password: 'password-value', header_value: 'header-value' };

/** Text of every kind: any code points, graphemes, and runs of Terraform template syntax. */
const hostileText: fc.Arbitrary<string> = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc
      .array(
        fc.constantFrom(
          '$',
          '%',
          '{',
          '}',
          '${',
          '%{',
          '$${',
          '%%{',
          '$$',
          '%%',
          '~}',
          '"',
          '\\',
          '\\n',
          '\n',
          '\t',
          '\u0000',
          'var.webhook_token',
          'file("/etc/hostname")',
          ' if true ',
          'endif',
          'é',
          '😀',
          'ൎ',
          '\u0600',
          '\u{110BD}',
          '\u{113D1}',
          '\\u0024{',
          '\\u0025{',
          '\\x24{',
        ),
        { maxLength: 12 },
      )
      .map((parts) => parts.join('')),
  )
  .map((text) => text.normalize('NFC'));

const method = fc.constantFrom<AuthMethod>('basic', 'bearer', 'custom_header');

/** What every stream has, with arbitrary text in every field the module holds; validation is bypassed on purpose. */
const hostileBase: fc.Arbitrary<StreamBase> = fc
  .record({ name: hostileText, status: fc.option(hostileText, { nil: undefined }), subscriptions: fc.array(hostileText, { maxLength: 4 }) })
  .map(({ name, status, subscriptions }) => ({ name, status: (status ?? 'enabled') as StreamBase['status'], statusSet: status !== undefined, subscriptions, outputs: {} }));

/** A stream of each destination, with arbitrary text in every field of its block. */
const hostileStream: fc.Arbitrary<Stream> = fc.oneof(
  fc.tuple(hostileBase, hostileText).map(([base, actionId]): Stream => ({ ...base, destinationType: 'action', destination: { actionId } })),
  fc
    .tuple(hostileBase, fc.record({ awsAccountId: hostileText, awsRegion: hostileText }))
    .map(([base, destination]): Stream => ({ ...base, destinationType: 'eventbridge', destination })),
  fc
    .tuple(hostileBase, fc.record({ endpoint: hostileText, method, username: fc.option(hostileText, { nil: undefined }), headerKey: fc.option(hostileText, { nil: undefined }) }))
    .map(([base, webhook]): Stream => ({
      ...base,
      destinationType: 'webhook',
      destination: {
        endpoint: webhook.endpoint,
        authorization: {
          method: webhook.method,
          ...(webhook.username !== undefined && { username: webhook.username }),
          ...(webhook.headerKey !== undefined && { headerKey: webhook.headerKey }),
          secretField: SECRET_FIELD[webhook.method],
          credential: { source: 'secretRef', name: 's', key: 'k' },
        },
      },
    })),
);

/** What the resource block must evaluate to: the stream's text as is, the secret from its variable. */
function expectedResource(stream: Stream): Record<string, unknown> {
  const base = {
    name: stream.name,
    destination_type: stream.destinationType,
    subscriptions: stream.subscriptions,
    ...(stream.statusSet && { status: stream.status }),
  };
  switch (stream.destinationType) {
    case 'action':
      return { ...base, action_configuration: { action_id: stream.destination.actionId } };
    case 'eventbridge':
      return { ...base, eventbridge_configuration: { aws_account_id: stream.destination.awsAccountId, aws_region: stream.destination.awsRegion } };
    case 'webhook': {
      const { authorization } = stream.destination;
      return {
        ...base,
        webhook_configuration: {
          webhook_endpoint: stream.destination.endpoint,
          webhook_authorization: {
            method: authorization.method,
            ...(authorization.username !== undefined && { username: authorization.username }),
            ...(authorization.headerKey !== undefined && { header_key: authorization.headerKey }),
            [authorization.secretField]: SECRET_VALUES[authorization.secretField],
          },
        },
      };
    }
  }
}

const config = readConfig(undefined).config;

function workspaceOf(stream: Stream): KubeObject {
  return streamResources(stream, planDestination(stream, config), config)[0]!.object;
}

function resourceBlock(workspaceObject: KubeObject): unknown {
  const module = JSON.parse((workspaceObject['spec'] as { forProvider: { module: string } }).forProvider.module) as {
    resource: { auth0_event_stream: { this: unknown } };
  };
  return module.resource.auth0_event_stream.this;
}

/** Applies a module whose outputs are the given values (as module JSON holds them) and returns what Terraform made of them. */
function evaluate(values: readonly unknown[]): unknown[] {
  const dir = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-terraform-'));
  try {
    const variable = Object.fromEntries(Object.keys(SECRET_VALUES).map((field) => [`webhook_${field}`, { type: 'string', sensitive: true }]));
    const output = Object.fromEntries(values.map((value, index) => [`v${index}`, { value, sensitive: true }]));
    // Written as the module builder writes modules (Prepend characters escaped), so Terraform reads what a Workspace would hold.
    writeFileSync(join(dir, 'main.tf.json'), readableByTerraform(JSON.stringify({ variable, output })));
    writeFileSync(join(dir, 'terraform.tfvars.json'), JSON.stringify(Object.fromEntries(Object.entries(SECRET_VALUES).map(([field, value]) => [`webhook_${field}`, value]))));
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
    for (const args of [
      ['init', '-no-color'],
      ['apply', '-auto-approve', '-no-color'],
    ]) {
      const run = spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`terraform ${args[0]} failed:\n${run.stdout}\n${run.stderr}`);
    }
    const printed = spawnSync('terraform', ['output', '-json'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (printed.status !== 0) throw new Error(`terraform output failed:\n${printed.stderr}`);
    const outputs = JSON.parse(printed.stdout) as Record<string, { value: unknown }>;
    return values.map((_, index) => outputs[`v${index}`]?.value);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let streamsTried = 0;
afterAll(() => {
  if (streamsTried > 0) recordCount('property cases: hostile text through real Terraform (streams)', streamsTried);
});

describe.skipIf(!terraform.available)('the Workspace module under the real terraform binary', () => {
  it('gives back every field of streams with arbitrary text byte for byte, and the secret only from its variable', () => {
    fc.assert(
      fc.property(fc.array(hostileStream, { minLength: STREAMS_PER_RUN, maxLength: STREAMS_PER_RUN }), (streams) => {
        const evaluated = evaluate(streams.map((stream) => resourceBlock(workspaceOf(stream))));
        expect(evaluated).toStrictEqual(streams.map(expectedResource));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    streamsTried = RUNS * STREAMS_PER_RUN;
  });

  it('gives back the values of streams that passed validation, with template syntax in name, endpoint and username', () => {
    const hostile = ['leak-${var.webhook_password}', '%{ if true }x%{ endif }', '$${var.webhook_password}', '%%{x}', '${file("/etc/hostname")}', 'a$', '%', '$$${x}'];
    const items = hostile.map((text, index) => ({
      apiVersion: 'auth0.openmcf.org/v1',
      kind: 'Auth0EventStream',
      metadata: { name: `${text}-${index}`, namespace: 'identity' },
      spec: {
        destination_type: 'webhook',
        subscriptions: ['user.created'],
        webhook_configuration: {
          webhook_endpoint: `https://attacker.example/${text}`,
          webhook_authorization: { method: 'basic', username: `user${text}`, password_secret_ref: { name: 's', key: 'password' } },
        },
      },
    }));
    const blocks = items.map((item) => {
      const expansion = expandStream(item, config);
      expect(expansion.findings.filter((finding) => finding.severity === 'error')).toStrictEqual([]);
      return resourceBlock(expansion.resources.find((resource) => resource.role === 'workspace')!.object);
    });
    const evaluated = evaluate(blocks) as Array<{
      name: string;
      webhook_configuration: { webhook_endpoint: string; webhook_authorization: { username: string; password: string } };
    }>;
    expect(evaluated.map((block) => block.name)).toStrictEqual(items.map((item) => item.metadata.name));
    expect(evaluated.map((block) => block.webhook_configuration.webhook_endpoint)).toStrictEqual(items.map((item) => item.spec.webhook_configuration.webhook_endpoint));
    expect(evaluated.map((block) => block.webhook_configuration.webhook_authorization.username)).toStrictEqual(hostile.map((text) => `user${text}`));
    expect(new Set(evaluated.map((block) => block.webhook_configuration.webhook_authorization.password))).toStrictEqual(new Set([SECRET_VALUES.password]));
  });
});

/** A copy of `module` frozen at every level (its texts as they are). */
function deepFreeze(module: ModuleObject): ModuleObject {
  const copy = (value: ModuleValue): ModuleValue =>
    Array.isArray(value)
      ? Object.freeze(value.map(copy))
      : value !== null && typeof value === 'object' && !('template' in value)
        ? Object.freeze(Object.fromEntries(Object.entries(value).map(([name, child]) => [name, copy(child)])))
        : value;
  return copy(module) as ModuleObject;
}

describe('moduleJson()', () => {
  it('writes every grapheme-cluster Prepend character of a literal as an escape, and leaves other modules as JSON.stringify writes them', () => {
    const prepend = moduleJson({ name: literal('a\u0D4E'), id: literal('\u{110BD}x'), other: literal('Äé😀') });
    expect(prepend).not.toMatch(/[\u0D4E]|\u{110BD}/u);
    expect(prepend).toContain('"a\\u0d4e"');
    expect(prepend).toContain('"\\ud804\\udcbdx"');
    expect(JSON.parse(prepend)).toStrictEqual({ name: 'a\u0D4E', id: '\u{110BD}x', other: 'Äé😀' });
    expect(moduleJson({ name: literal('Äé😀 \u0605') })).toContain('"Äé😀 \\u0605"');
    expect(moduleJson({ name: literal('Äé😀') })).toBe(JSON.stringify({ name: 'Äé😀' }, null, 2));
  });

  it('writes any module exactly as JSON.stringify(…, null, 2) writes its templates', () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/);
    const { value } = fc.letrec<{ value: ModuleValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        hostileText.map(literal),
        fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
      ),
    }));
    const templates = (module: ModuleValue): unknown =>
      Array.isArray(module)
        ? module.map(templates)
        : module !== null && typeof module === 'object'
          ? 'template' in module
            ? module.template
            : Object.fromEntries(Object.entries(module).map(([name, child]) => [name, templates(child)]))
          : module;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5, noNullPrototype: true }), (module) => {
        const expected = readableByTerraform(JSON.stringify(templates(module), null, 2));
        expect(moduleJson(module)).toBe(expected);
        // Frozen parts (such as the outputs every module shares) are written once and their text reused.
        const frozen = deepFreeze(module);
        expect(moduleJson(frozen)).toBe(expected);
        expect(moduleJson({ again: frozen })).toBe(readableByTerraform(JSON.stringify({ again: templates(module) }, null, 2)));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('escapes every character JSON.stringify escapes, and writes the rest as it is', () => {
    const chars = [...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)), '"', '\\', '\x7f', '\u2028', '/', 'a'];
    const module = { each: chars.map(literal), all: literal(chars.join('')) };
    expect(moduleJson(module)).toBe(JSON.stringify({ each: chars, all: chars.join('') }, null, 2));
  });

  it('refuses a key that is not an identifier and a value not made by literal() or expression(), naming where', () => {
    expect(() => moduleJson({ resource: { 'a b': literal('x') } })).toThrow(/not a Terraform identifier/);
    expect(() => moduleJson({ resource: { list: [literal('x'), 'bare' as unknown as ModuleValue] } })).toThrow(
      /^\$\.resource\.list\[1\]: a module value must be made by literal\(\)/,
    );
  });
});

describe('changedByTerraform()', () => {
  it('is true exactly for text with an unpaired surrogate or not in NFC', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0x3ff }).map((code) => String.fromCharCode(code)), maxLength: 20 }),
      hostileText,
    );
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const reference = (value: string): boolean => loneSurrogate.test(value) || value.normalize('NFC') !== value;
    fc.assert(
      fc.property(text, (value) => {
        expect(changedByTerraform(value)).toBe(reference(value));
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});

describe('moduleJson(), against the Unicode of this Node.js', () => {
  it('escapes every character that joins the closing quote into one grapheme cluster', () => {
    const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
    const joining = new Set<string>();
    // Every code point followed by a quote, segmented 50 at a time: a character before a quote in its cluster joins it.
    let pairs: string[] = [];
    const segment = () => {
      for (const { segment: cluster } of segmenter.segment(pairs.join(''))) {
        const quote = cluster.indexOf('"');
        if (quote > 0) for (const char of cluster.slice(0, quote)) joining.add(char);
      }
      pairs = [];
    };
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      pairs.push(String.fromCodePoint(codePoint), '"');
      if (pairs.length === 100) segment();
    }
    segment();
    const chars = [...joining];
    expect(chars.length).toBeGreaterThanOrEqual(20);
    const module = moduleJson({ text: literal(chars.join('')), each: chars.map(literal) });
    expect(chars.filter((char) => module.includes(char)).map((char) => char.codePointAt(0)!.toString(16))).toStrictEqual([]);
    expect(JSON.parse(module)).toStrictEqual({ text: chars.join(''), each: chars });
  });
});

describe('literal()', () => {
  it('reads back as written (fromLiteral), for any text Terraform keeps', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(fromLiteral(literal(text).template)).toBe(text);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('refuses text Terraform would change (not NFC, unpaired surrogates), and validation reports it first', () => {
    for (const text of ['e\u0301', '\u212b', 'x\ud800y', '\udc00']) {
      expect(changedByTerraform(text)).toBe(true);
      expect(() => literal(text)).toThrow(/validation must refuse it first/);
      const expansion = expandStream(
        {
          apiVersion: 'auth0.openmcf.org/v1',
          kind: 'Auth0EventStream',
          metadata: { name: text },
          spec: {
            destination_type: 'webhook',
            subscriptions: ['user.created'],
            webhook_configuration: {
              webhook_endpoint: `https://hooks.example.com/${text}`,
              webhook_authorization: { method: 'basic', username: text, password_secret_ref: { name: 's', key: 'password' } },
            },
          },
        },
        config,
      );
      expect(expansion.ok).toBe(false);
      const ids = expansion.findings.filter((finding) => ['unicode-not-nfc', 'invalid-unicode'].includes(finding.id)).map((finding) => finding.path);
      expect(ids).toStrictEqual(['metadata.name', 'spec.webhook_configuration.webhook_authorization.username', 'spec.webhook_configuration.webhook_endpoint']);
    }
  });
});

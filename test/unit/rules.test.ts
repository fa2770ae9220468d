/**
 * The rule registry (src/core/rules.ts) is complete and alive: every id a test sees — in a golden file, in a
 * KRM result or a Crossplane reason the adapters produce for the golden inputs and for arbitrary streams — is
 * registered, with a severity the rule allows; and every registered rule is seen by some test.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import fc from 'fast-check';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { RULES, allRules, allowsSeverity, isRuleId, reasonOf, type RuleId, type Severity as FindingSeverity } from '../../src/core/index.js';
import { runFunction } from '../../src/crossplane/compose.js';
import { runResourceList } from '../../src/krm/run.js';
import { anyMetadata, anySpec, anyStatus, configSpec, SEED } from '../hostile/arbitraries.js';
import { resourceList, yamlBytes } from '../support/krm.js';
import { repoRoot } from '../support/tools.js';

const ruleByReason = new Map(allRules().map((rule) => [reasonOf(rule.id), rule]));

function files(dir: string, accept: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : files(path, accept);
    return accept(entry.name) ? [path] : [];
  });
}

const goldens = [...files(join(repoRoot, 'test'), (name) => name.endsWith('.yaml')), ...files(join(repoRoot, 'examples'), (name) => name.endsWith('.yaml'))];

/** Rule ids and severities of the KRM results (`{severity, tags: {rule}}`) and Crossplane results (`{severity, reason}`) anywhere in a YAML text. */
function krmRuleTags(text: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      const { severity, tags, reason } = value as { severity?: unknown; tags?: { rule?: unknown }; reason?: unknown };
      if (typeof severity === 'string' && typeof tags?.rule === 'string') found.push([tags.rule, severity]);
      // A Crossplane result of a golden answer: its reason is a registered rule in PascalCase.
      const crossplaneSeverity = { SEVERITY_FATAL: 'error', SEVERITY_WARNING: 'warning', SEVERITY_NORMAL: 'info' }[String(severity)];
      if (crossplaneSeverity !== undefined && typeof reason === 'string') found.push([ruleByReason.get(reason)?.id ?? reason, crossplaneSeverity]);
      Object.values(value).forEach(walk);
    }
  };
  try {
    loadAll(text).forEach(walk);
  } catch {
    // not YAML the tests read as such (a patch, a template)
  }
  return found;
}

function expectRegistered(id: string, severity: string, where: string): void {
  expect(isRuleId(id), `${where}: rule ${id} is not registered in src/core/rules.ts`).toBe(true);
  expect(allowsSeverity(RULES[id as RuleId], severity as FindingSeverity), `${where}: rule ${id} as ${severity}`).toBe(true);
}

describe('the registry', () => {
  it('ids are kebab-case, except the three OpenMCF CEL ids, and each has a summary', () => {
    const snake = allRules()
      .filter((rule) => !/^[a-z]+(-[a-z0-9]+)*$/.test(rule.id))
      .map((rule) => rule.id);
    expect(snake).toStrictEqual(['webhook_auth_bearer_token_required', 'webhook_auth_basic_username_required', 'webhook_auth_basic_password_required']);
    for (const rule of allRules()) expect(rule.summary.length, rule.id).toBeGreaterThan(10);
  });

  it('gives every rule its own Crossplane reason', () => {
    expect(ruleByReason.size).toBe(allRules().length);
  });
});

describe('every id a test sees is registered', () => {
  it('in the golden files and example expectations', () => {
    let seen = 0;
    for (const file of goldens) {
      for (const [id, severity] of krmRuleTags(readFileSync(file, 'utf8'))) {
        expectRegistered(id, severity, relative(repoRoot, file));
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(10);
  });

  it('in what the KRM and Crossplane adapters answer for the golden inputs and for arbitrary streams (fixed seed)', () => {
    const seen = new Set<string>();
    const throughKrm = (items: unknown[], functionConfig?: unknown): void => {
      const output = loadAll(runResourceList(yamlBytes(resourceList(items, functionConfig))).stdout)[0] as { results?: Array<{ severity: string; tags?: { rule?: string } }> };
      for (const result of output.results ?? []) {
        const id = result.tags?.rule ?? '';
        expectRegistered(id, result.severity, 'KRM result');
        seen.add(id);
      }
    };
    const throughCrossplane = (xr: unknown, input?: unknown): void => {
      const response = runFunction(
        RunFunctionRequest.fromPartial({ observed: { composite: { resource: xr as Record<string, unknown> } }, input: input as Record<string, unknown> }),
      );
      for (const result of response.results) {
        const rule = ruleByReason.get(result.reason ?? '');
        expect(rule, `Crossplane reason ${result.reason}`).toBeDefined();
        if (result.severity === Severity.SEVERITY_WARNING) expect(allowsSeverity(rule!, 'warning') || rule!.id === 'more-findings', rule!.id).toBe(true);
        seen.add(rule!.id);
      }
    };

    const casesDir = join(repoRoot, 'test', 'expansions');
    for (const name of readdirSync(casesDir)) {
      const items = loadAll(readFileSync(join(casesDir, name, 'input.yaml'), 'utf8'));
      const configFile = join(casesDir, name, '_fnconfig.yaml');
      const config = existsSync(configFile) ? loadAll(readFileSync(configFile, 'utf8'))[0] : undefined;
      throughKrm(items, config);
      for (const item of items) throughCrossplane(item, config);
    }
    fc.assert(
      fc.property(anyMetadata, anySpec, anyStatus, configSpec, (metadata, spec, status, config) => {
        const item = { apiVersion: 'auth0.openmcf.org/v1', kind: 'Auth0EventStream', metadata, spec, ...(status === undefined ? {} : { status }) };
        const functionConfig = { apiVersion: 'fn.auth0.openmcf.org/v1alpha1', kind: 'ExpansionConfig', metadata: { name: 'c' }, spec: config };
        throughKrm([item], functionConfig);
        throughCrossplane(item, functionConfig);
      }),
      { seed: SEED, numRuns: 300 },
    );
    expect(seen.size).toBeGreaterThan(15);
  });
});

describe('every registered rule is seen by some test', () => {
  it('its id appears in a test or a golden file', () => {
    const texts = [...files(join(repoRoot, 'test'), (name) => /\.(ts|yaml)$/.test(name) && name !== 'rules.test.ts'), ...goldens]
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const unseen = allRules()
      .map((rule) => rule.id)
      .filter((id) => !texts.includes(`'${id}'`) && !texts.includes(`rule: ${id}\n`) && !texts.includes(`'${reasonOf(id)}'`));
    expect(unseen).toStrictEqual([]);
  });
});

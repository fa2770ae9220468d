/**
 * The source gate: src/ has no RegExp built from input, no regular expression anchored only at the end of a
 * repetition, no unbounded spread into call arguments, and no Terraform template syntax outside the module
 * builder. Each rule is first shown to catch a planted example.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/tools.js';
import { ALLOWED_SPREADS, checkSource, MODULE_BUILDER } from './source-rules.js';

const rulesOf = (file: string, text: string) => checkSource(file, text).map((violation) => [violation.rule, violation.code]);

describe('the checker, on planted examples', () => {
  it('regexp-from-input: a RegExp from a variable or a template with a substitution; constant text passes', () => {
    expect(rulesOf('src/x.ts', 'const m = new RegExp(`^${pattern}$`);')).toStrictEqual([['regexp-from-input', 'new RegExp(`^${pattern}$`)']]);
    expect(rulesOf('src/x.ts', 'const m = RegExp(userText, "u");')).toStrictEqual([['regexp-from-input', 'RegExp(userText, "u")']]);
    expect(rulesOf('src/x.ts', 'const m = new globalThis.RegExp(source);')).toStrictEqual([['regexp-from-input', 'new globalThis.RegExp(source)']]);
    expect(rulesOf('src/x.ts', "const m = new RegExp('^(?:' + ['a', 'b'].join('|') + ')$'); const n = /x+/; const o = new RegExp(`a`);")).toStrictEqual([]);
  });

  it('end-anchored-run: a branch ending in an unbounded repetition anchored at the end only', () => {
    expect(rulesOf('src/x.ts', "const a = s.replace(/-+$/, '');")).toStrictEqual([['end-anchored-run', '/-+$/']]);
    expect(rulesOf('src/x.ts', "const a = s.replace(/^[^a-z]+|[^a-z]+$/g, '');")).toStrictEqual([['end-anchored-run', '/^[^a-z]+|[^a-z]+$/g']]);
    expect(rulesOf('src/x.ts', 'const a = /(?:ab)*?$/; const b = /x{2,}$/;')).toStrictEqual([
      ['end-anchored-run', '/(?:ab)*?$/'],
      ['end-anchored-run', '/x{2,}$/'],
    ]);
    expect(rulesOf('src/x.ts', "const a = new RegExp('\\\\s+$');")).toStrictEqual([['end-anchored-run', "new RegExp('\\\\s+$')"]]);
    expect(rulesOf('src/x.ts', 'const a = /^[a-z]+$/; const b = /[0-9]{12}$/; const c = /a\\+$/; const d = /^(?:x|y+)$/; const e = /-{2,}/g;')).toStrictEqual([]);
  });

  it('spread-argument: a list spread into a call or a constructor, unless allowed for that exact call', () => {
    expect(rulesOf('src/x.ts', 'out.push(...findings);')).toStrictEqual([['spread-argument', 'out.push(...findings)']]);
    expect(rulesOf('src/x.ts', 'const top = Math.max(...values);')).toStrictEqual([['spread-argument', 'Math.max(...values)']]);
    expect(rulesOf('src/x.ts', 'const d = new Date(...parts);')).toStrictEqual([['spread-argument', 'new Date(...parts)']]);
    expect(rulesOf('src/x.ts', 'const all = [...a, ...b]; const o = { ...c }; function f(...rest: number[]) {}')).toStrictEqual([]);
    expect(checkSource('src/x.ts', 'out.push(...fixed);', { 'src/x.ts: out.push(...fixed)': 'three items' })).toStrictEqual([]);
    expect(rulesOf('src/x.ts', 'Array.prototype.push.apply(out, findings); const t = Reflect.apply(f, null, args); const d = Reflect.construct(Date, parts);')).toStrictEqual([
      ['spread-argument', 'Array.prototype.push.apply(out, findings)'],
      ['spread-argument', 'Reflect.apply(f, null, args)'],
      ['spread-argument', 'Reflect.construct(Date, parts)'],
    ]);
    expect(rulesOf('src/x.ts', 'f.apply(null, [a, b]); f.call(null, a);')).toStrictEqual([]);
  });

  it('module-string: ${ or %{ in any string outside the module builder', () => {
    expect(rulesOf('src/core/expand/workspace.ts', 'const v = `\\${var.${name}}`;')).toStrictEqual([['module-string', '`\\${var.${']]);
    expect(rulesOf('src/core/x.ts', "const v = '${try(a, null)}';")).toStrictEqual([['module-string', "'${try(a, null)}'"]]);
    expect(rulesOf('src/core/x.ts', 'const v = "%{ if x }";')).toStrictEqual([['module-string', '"%{ if x }"']]);
    expect(rulesOf(MODULE_BUILDER, 'const v = `\\${${code}}`;')).toStrictEqual([]);
    expect(rulesOf('src/core/x.ts', 'const v = `${a}-${b}`; const w = "$ {";')).toStrictEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(c|m)?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('src/', () => {
  const files = sourceFiles(join(repoRoot, 'src')).map((path) => relative(repoRoot, path));

  it('follows every rule', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(files).toContain(MODULE_BUILDER);
    const violations = files.flatMap((file) => checkSource(file, readFileSync(join(repoRoot, file), 'utf8')));
    expect(violations).toStrictEqual([]);
  });

  it('allows only spreads that still exist, so the allow-list cannot go stale', () => {
    for (const key of Object.keys(ALLOWED_SPREADS)) {
      const [file, call] = key.split(': ', 2) as [string, string];
      expect(readFileSync(join(repoRoot, file), 'utf8'), key).toContain(call);
    }
  });
});

/**
 * Source rules that keep four root causes out of src/, checked on the TypeScript syntax tree:
 * - `regexp-from-input`: a RegExp built from anything but constant text (user input in a pattern can make
 *   matching exponential);
 * - `end-anchored-run`: a regular expression with a branch that ends in a repetition anchored at the end
 *   (`/-+$/`, `/^a|[^a-z]+$/`) but not at the start: the engine tries it from every position of a long run that
 *   stops short of the end, which takes time quadratic in the run;
 * - `spread-argument`: an array spread into call arguments (`f(...list)`), or a list handed to `.apply()` /
 *   `Reflect.apply()` / `Reflect.construct()`, which overflows the stack for long lists, unless the list is
 *   bounded and listed in ALLOWED_SPREADS with the reason;
 * - `module-string`: Terraform template syntax (`${`, `%{`) in a string outside the one module builder, which
 *   alone may write Terraform expressions.
 */
import ts from 'typescript';

export type Rule = 'regexp-from-input' | 'end-anchored-run' | 'spread-argument' | 'module-string';

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly rule: Rule;
  readonly code: string;
}

/** The one file allowed to write Terraform expressions into module strings. */
export const MODULE_BUILDER = 'src/core/expand/terraform-module.ts';

/** Spreads of lists that cannot grow with the input: `<file>: <call as written>` → why it is bounded. */
export const ALLOWED_SPREADS: Readonly<Record<string, string>> = {
  'src/krm/config-reference.ts: lines.push(...describeProperties(field, `${path}.`))': 'the fields of the config schema: a fixed, small list',
  'src/krm/config-reference.ts: lines.push(...describeProperties(item, `${path}[].`))': 'the fields of the config schema: a fixed, small list',
};

export function checkSource(file: string, text: string, allowedSpreads: Readonly<Record<string, string>> = ALLOWED_SPREADS): Violation[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const violations: Violation[] = [];
  const report = (node: ts.Node, rule: Rule) =>
    violations.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, rule, code: node.getText(source) });

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const args = node.arguments ?? ts.factory.createNodeArray();
      if (isRegExpConstructor(node.expression) && args[0] !== undefined && !isConstantText(args[0])) report(node, 'regexp-from-input');
      if ((args.some(ts.isSpreadElement) || spreadsByApply(node.expression, args)) && allowedSpreads[`${file}: ${node.getText(source)}`] === undefined) {
        report(node, 'spread-argument');
      }
      if (isRegExpConstructor(node.expression) && args[0] !== undefined && ts.isStringLiteralLike(args[0]) && hasEndAnchoredRun(args[0].text)) report(node, 'end-anchored-run');
    }
    if (ts.isRegularExpressionLiteral(node) && hasEndAnchoredRun(node.text.slice(1, node.text.lastIndexOf('/')))) report(node, 'end-anchored-run');
    if (file !== MODULE_BUILDER && isStringPart(node) && (node.text.includes('${') || node.text.includes('%{'))) report(node, 'module-string');
    ts.forEachChild(node, visit);
  };
  visit(source);
  return violations;
}

/** `f.apply(self, list)`, `Reflect.apply(f, self, list)`, `Reflect.construct(C, list)`: a list spread in all but syntax. */
function spreadsByApply(callee: ts.Expression, args: ts.NodeArray<ts.Expression>): boolean {
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  const list =
    method === 'apply' ? args[callee.expression.getText() === 'Reflect' ? 2 : 1] : method === 'construct' && callee.expression.getText() === 'Reflect' ? args[1] : undefined;
  return list !== undefined && !ts.isArrayLiteralExpression(list);
}

/**
 * Whether some top-level branch of the pattern ends in an unbounded repetition (`+`, `*`, `{n,}`, lazy or not)
 * followed by `$`, without starting at `^`. (A repetition inside a group at the end is not looked into.)
 */
export function hasEndAnchoredRun(pattern: string): boolean {
  return topLevelBranches(pattern).some((branch) => !branch.startsWith('^') && /(?:^|[^\\])(?:\\\\)*(?:[+*]|,\})\??\$$/.test(branch));
}

/** The pattern split at each `|` outside groups and character classes. */
function topLevelBranches(pattern: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      branches.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(pattern.slice(start));
  return branches;
}

function isRegExpConstructor(callee: ts.Expression): boolean {
  const target = ts.isPropertyAccessExpression(callee) && callee.expression.getText() === 'globalThis' ? callee.name : callee;
  return ts.isIdentifier(target) && target.text === 'RegExp';
}

/** Text fixed in the source: literals, their concatenation, and `[literals].join(literal)`. */
function isConstantText(node: ts.Expression): boolean {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return true;
  if (ts.isParenthesizedExpression(node)) return isConstantText(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return isConstantText(node.left) && isConstantText(node.right);
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'join') {
    const list = node.expression.expression;
    return ts.isArrayLiteralExpression(list) && list.elements.every((element) => isConstantText(element)) && node.arguments.every((arg) => isConstantText(arg));
  }
  return false;
}

function isStringPart(node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateHead | ts.TemplateMiddle | ts.TemplateTail {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node);
}

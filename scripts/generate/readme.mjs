// Generated parts of the documentation: README tables between `<!-- generated:NAME -->` markers, manifests
// shown as they are (`<!-- generated:file:PATH -->`), and each example README's expected result.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { resolveRef } from './schema.mjs';

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; a text without the markers is returned as it is. */
export function replaceSection(text, name, body) {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return text;
  return `${text.slice(0, from + start.length)}\n${body}${text.slice(to)}`;
}

/** Every generated section of one Markdown file. */
export function documentSections(text, { root, streamSchema, configSchema, enums, rules }) {
  let out = text;
  out = replaceSection(out, 'spec-reference', referenceTable(streamSchema.$defs.spec, streamSchema, 'spec.'));
  out = replaceSection(out, 'config-reference', referenceTable(configSchema, configSchema, 'spec.'));
  out = replaceSection(out, 'event-types', enums.eventTypes.map((type) => `\`${type}\``).join(', ') + '\n');
  out = replaceSection(out, 'regions', enums.regions.map((region) => `\`${region}\``).join(', ') + '\n');
  out = replaceSection(out, 'rules', rulesTable(rules));
  for (const file of [...out.matchAll(/<!-- generated:file:(\S+) -->/g)].map((match) => match[1])) {
    out = replaceSection(out, `file:${file}`, '```yaml\n' + readFileSync(join(root, file), 'utf8') + '```\n');
  }
  return out;
}

const SCOPES = {
  input: 'input',
  schema: 'schema',
  stream: 'stream',
  configuration: 'configuration',
  package: 'package (kpt, kustomize)',
  crossplane: 'Crossplane',
};

/** One row per rule of src/core/rules.ts, grouped by what checks it. */
function rulesTable(rules) {
  const rows = Object.keys(SCOPES).flatMap((scope) =>
    rules
      .filter((rule) => rule.scope === scope)
      .map((rule) => {
        const severity = rule.otherwise ? `${rule.severity} (${rule.otherwise.how})` : rule.severity;
        return `| \`${rule.id}\` | ${severity} | ${SCOPES[scope]} | ${rule.summary.replaceAll('|', '\\|')} |`;
      }),
  );
  return ['| rule (result id) | severity | checked on | what it says |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
}

/** A Markdown table of every field under `node`: path, type, default, description. */
function referenceTable(node, schemaRoot, prefix) {
  const rows = [];
  const walk = (current, path) => {
    for (const [name, raw] of Object.entries(current.properties ?? {})) {
      const field = resolveRef(raw, schemaRoot);
      const fieldPath = `${path}${name}`;
      const item = field.items ? resolveRef(field.items, schemaRoot) : undefined;
      let type = field.enum ? field.enum.map((v) => `\`${v}\``).join(' \\| ') : (field.type ?? 'any');
      if (field.enum && field.enum.length > 6) type = `one of ${field.enum.length} values`;
      if (field.type === 'array') type = `list of ${item?.type === 'object' ? 'objects' : `${item?.type ?? 'any'}s`}`;
      const isDefault = field.default !== undefined && !(typeof field.default === 'object' && Object.keys(field.default).length === 0);
      const cells = [
        `\`${fieldPath}\``,
        type,
        (current.required ?? []).includes(name) ? 'yes' : isDefault ? `\`${JSON.stringify(field.default)}\`` : 'no',
        (field.description ?? '').replaceAll('|', '\\|') + (field.writeOnly ? ' Secret: never printed.' : ''),
      ];
      rows.push(`| ${cells.join(' | ')} |`);
      if (field.type === 'object' && field.properties) walk(field, `${fieldPath}.`);
      if (item?.type === 'object' && item.properties) walk(item, `${fieldPath}[].`);
    }
  };
  walk(node, prefix);
  return ['| field | type | required / default | description |', '| --- | --- | --- | --- |', ...rows, ''].join('\n');
}

/** Each example's README says what running it gives, from the files its tests compare against (.expected/). */
export function exampleReadmes(root) {
  const outputs = new Map();
  const kptDir = join(root, 'examples/kpt');
  for (const example of existsSync(kptDir) ? readdirSync(kptDir) : []) {
    const dir = join(kptDir, example);
    if (!existsSync(join(dir, 'README.md')) || !existsSync(join(dir, '.expected/diff.patch'))) continue;
    outputs.set(`examples/kpt/${example}/README.md`, replaceSection(readFileSync(join(dir, 'README.md'), 'utf8'), 'expected-result', kptExpectedResult(dir)));
  }
  const kustomize = join(root, 'examples/kustomize');
  if (existsSync(join(kustomize, 'README.md')) && existsSync(join(kustomize, '.expected/output.yaml'))) {
    const items = YAML.parseAllDocuments(readFileSync(join(kustomize, '.expected/output.yaml'), 'utf8')).map((doc) => doc.toJSON());
    const rows = items.map((item) => `| \`${item.kind}\` | \`${[item.metadata.namespace, item.metadata.name].filter(Boolean).join('/')}\` |`);
    outputs.set(
      'examples/kustomize/README.md',
      replaceSection(readFileSync(join(kustomize, 'README.md'), 'utf8'), 'expected-result', ['| kind | namespace/name |', '| --- | --- |', ...rows, ''].join('\n')),
    );
  }
  return outputs;
}

/** What `kpt fn render` does to an example package: new and changed files (from .expected/diff.patch) and results. */
function kptExpectedResult(dir) {
  const patch = readFileSync(join(dir, '.expected/diff.patch'), 'utf8');
  const rows = [];
  for (const part of patch.split(/^(?=diff --git )/m).filter((text) => text.startsWith('diff --git'))) {
    const file = /^diff --git a\/(\S+) /.exec(part)[1];
    if (!/^new file mode/m.test(part)) {
      rows.push(`| \`${file}\` (changed) | the lines in \`.expected/diff.patch\` |`);
      continue;
    }
    const text = part
      .split('\n')
      .filter((line) => line.startsWith('+') && !line.startsWith('+++'))
      .map((line) => line.slice(1))
      .join('\n');
    const objects = YAML.parseAllDocuments(text)
      .map((doc) => doc.toJSON())
      .filter(Boolean);
    rows.push(`| \`${file}\` (new) | ${objects.map((object) => `\`${object.kind}\` \`${object.metadata.name}\``).join(', ')} |`);
  }
  const results = YAML.parse(readFileSync(join(dir, '.expected/results.yaml'), 'utf8'));
  const findings = results.items.flatMap((item) => item.results ?? []);
  const lines = [`kpt exits ${results.exitCode} and changes the package like this:`, '', '| file | what it holds |', '| --- | --- |', ...rows, ''];
  if (findings.length === 0) lines.push('The function reports no results.');
  else {
    lines.push('Results kpt prints (and writes with `--results-dir`):', '');
    for (const finding of findings) {
      const ref = finding.resourceRef ? ` on \`${finding.resourceRef.kind}\` \`${[finding.resourceRef.namespace, finding.resourceRef.name].filter(Boolean).join('/')}\`` : '';
      const field = finding.field ? `, field \`${finding.field.path}\`` : '';
      lines.push(`- ${finding.severity}${ref}${field}: ${finding.message}`);
    }
  }
  lines.push('', 'Running the function again changes nothing.', '');
  return lines.join('\n');
}

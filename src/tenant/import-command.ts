/**
 * `auth0-eventstream-fn import`: every event stream of a tenant as Auth0EventStream manifests that adopt it,
 * one file per stream in a directory, or a ResourceList on stdout. Only reads from Auth0.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorsOf, readConfig, type Finding, type KubeObject } from '../core/index.js';
import { PATH } from '../krm/annotations.js';
import { RESOURCE_LIST_API_VERSION } from '../krm/resource-list.js';
import { stringifyYaml } from '../krm/yaml.js';
import { CONNECTION_HELP, connect, parseCommandArgs, stringFlag, type ConnectContext } from './args.js';
import { desiredShape } from './desired.js';
import { TenantError } from './errors.js';
import { manifestFileName, streamManifest, type RequiredSecret } from './manifest.js';
import type { LiveStream } from './model.js';
import { destinationText, printable, table, truncate, type Output } from './output.js';

const IMPORT_EXIT = { ok: 0, failed: 1, usage: 2, attention: 3 } as const;

const IMPORT_HELP = `auth0-eventstream-fn import [--dir DIR [--force]] [--namespace NS] [CREDENTIALS]

Reads every event stream of an Auth0 tenant (GET /api/v2/event-streams, all pages) and writes an
Auth0EventStream for each: subscriptions, destination, status, the annotation
auth0.openmcf.org/adopt-stream-id (so the function adopts the stream instead of creating another) and
status.outputs as Auth0 reports them. Makes no change in Auth0.

Auth0 never returns webhook secrets: each webhook stream points at a Secret <stream>-webhook-auth (key token,
password or header_value) that you create before the first apply; stderr lists them.

OPTIONS
  --dir DIR         write one file per stream into DIR (created if missing), named after the stream
  --force           replace files that already exist in DIR (otherwise nothing is written)
  --namespace NS    metadata.namespace of every manifest (and of the Secrets they reference)
  -h, --help        this help
  Without --dir, a ResourceList goes to stdout (each item annotated with the file it would go to, so
  \`kpt fn sink DIR\` writes the same files).

${CONNECTION_HELP}

SCOPES  read:event_streams

EXIT STATUS
  0  every stream written
  1  nothing written: Auth0 could not be read (credentials, scopes, network) or DIR could not be written
  2  bad usage, or files in DIR that would be replaced without --force (nothing written)
  3  written, but some streams need attention: skipped (a destination type this function does not know), or the function would reject
     the manifest as it is (stderr says why)`;

interface Imported {
  readonly live: LiveStream;
  readonly manifest: KubeObject;
  readonly file: string;
  readonly secret?: RequiredSecret;
  /** Errors the function would report for this manifest as written. */
  readonly problems: readonly Finding[];
}

export async function importCommand(args: readonly string[], context: ConnectContext, output: Output): Promise<number> {
  const { values } = parseCommandArgs(args, { dir: { type: 'string' }, force: { type: 'boolean' }, namespace: { type: 'string' } }, 0);
  if (values['help'] === true) {
    output.out(`${IMPORT_HELP}\n`);
    return IMPORT_EXIT.ok;
  }
  const dir = stringFlag(values, 'dir');
  const namespace = stringFlag(values, 'namespace');
  if (namespace !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw new TenantError('usage', `--namespace ${JSON.stringify(namespace)} is not a Kubernetes namespace name (lowercase letters, digits and '-', at most 63).`);
  }
  if (values['force'] === true && dir === undefined) throw new TenantError('usage', '--force only applies with --dir.');

  const client = await connect(values, context);
  const streams = (await client.listStreams()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const { config } = readConfig(undefined);
  const imported: Imported[] = [];
  const skipped: { live: LiveStream; reason: string }[] = [];
  const files = new Set<string>();
  for (const live of streams) {
    const made = streamManifest(live, namespace ? { namespace } : {});
    if (!made.ok) {
      skipped.push({ live, reason: made.reason });
      continue;
    }
    let file = manifestFileName(live.name);
    // Two names cleaned to one file name and one hash: the id, unique per tenant, keeps them apart.
    if (files.has(file)) file = `${file.slice(0, -'.yaml'.length)}-${live.id.toLowerCase().replace(/_/g, '-')}.yaml`;
    files.add(file);
    const check = desiredShape(made.manifest, config);
    imported.push({
      live,
      manifest: made.manifest,
      file,
      ...(made.secret ? { secret: made.secret } : {}),
      problems: errorsOf(check.findings),
    });
  }

  if (dir === undefined) {
    output.manifests(
      stringifyYaml({
        apiVersion: RESOURCE_LIST_API_VERSION,
        kind: 'ResourceList',
        items: imported.map(({ manifest, file }) => withPath(manifest, file)),
      }),
    );
  } else {
    writeFiles(dir, imported, values['force'] === true, client.domain);
  }
  output.err(summary(client.domain, dir, imported, skipped));
  return skipped.length > 0 || imported.some((entry) => entry.problems.length > 0) ? IMPORT_EXIT.attention : IMPORT_EXIT.ok;
}

function withPath(manifest: KubeObject, file: string): KubeObject {
  return { ...manifest, metadata: { ...manifest.metadata, annotations: { ...manifest.metadata.annotations, [PATH]: file } } };
}

/** Writes every file or none: existing files stop the run before anything is written, unless --force. */
function writeFiles(dir: string, imported: readonly Imported[], force: boolean, domain: string): void {
  const existing = imported.filter(({ file }) => existsSync(join(dir, file))).map(({ file }) => file);
  if (existing.length > 0 && !force) {
    throw new TenantError(
      'usage',
      `${dir} already holds ${existing.join(', ')}; nothing was written. Import into an empty directory, or pass --force to replace them (edits in them are lost).`,
    );
  }
  try {
    mkdirSync(dir, { recursive: true });
    for (const entry of imported) {
      const path = join(dir, entry.file);
      const temporary = `${path}.tmp-${process.pid}`;
      writeFileSync(temporary, `${fileHeader(entry, domain)}${stringifyYaml(entry.manifest)}`);
      renameSync(temporary, path);
    }
  } catch (error) {
    throw new TenantError('input', `cannot write into ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function fileHeader(entry: Imported, domain: string): string {
  const lines = [`Auth0 event stream ${entry.live.id} of ${domain}, imported by auth0-eventstream-fn import.`];
  if (entry.secret) {
    const where = entry.secret.namespace ? `${entry.secret.namespace}/${entry.secret.name}` : entry.secret.name;
    lines.push(`Before the first apply, create the Secret ${where} with the key ${entry.secret.key}: Auth0 never returns webhook secrets.`);
  }
  return lines.map((line) => `# ${printable(line)}\n`).join('');
}

function summary(domain: string, dir: string | undefined, imported: readonly Imported[], skipped: readonly { live: LiveStream; reason: string }[]): string {
  const total = imported.length + skipped.length;
  const lines: string[] = [
    `${domain}: ${total} event stream${total === 1 ? '' : 's'}, ${imported.length} imported${dir === undefined ? ' (ResourceList on stdout)' : ` into ${dir}`}${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}.`,
  ];
  if (imported.length > 0) {
    lines.push(
      '',
      indent(
        table(
          ['STREAM', 'ID', 'DESTINATION', 'STATUS', 'FILE'],
          imported.map(({ live, file }) => [truncate(printable(live.name), 40), live.id, destinationText(live), printable(live.status), file]),
        ),
      ),
    );
  }
  const secrets = imported.flatMap(({ secret }) => (secret ? [secret] : []));
  if (secrets.length > 0) {
    lines.push(
      '',
      'Secrets to create before the first apply. Auth0 never returns webhook secrets, so the first apply sends the',
      "value from the Secret: use the one the endpoint accepts now. Each Secret is read from the stream's namespace.",
      '',
      indent(
        table(
          ['SECRET', 'KEY', 'STREAM', 'METHOD'],
          secrets.map((secret) => [secret.namespace ? `${secret.namespace}/${secret.name}` : secret.name, secret.key, truncate(printable(secret.stream), 40), secret.method]),
        ),
      ),
      '',
      `  e.g. kubectl${secrets[0]!.namespace ? ` -n ${secrets[0]!.namespace}` : ''} create secret generic ${secrets[0]!.name} --from-file=${secrets[0]!.key}=./${secrets[0]!.key}.txt`,
    );
  }
  const attention = imported.filter(({ problems }) => problems.length > 0);
  if (attention.length > 0) {
    lines.push('', 'The function rejects these manifests as written; fix them (or the function config) before running it:');
    for (const { live, file, problems } of attention) {
      for (const problem of problems) lines.push(`  ${file} (${printable(live.name)}): ${printable(problem.message)}`);
    }
  }
  if (skipped.length > 0) {
    lines.push('', 'Skipped (left as they are in Auth0):');
    for (const { live, reason } of skipped) lines.push(`  ${printable(live.name)} (${live.id}): ${printable(reason)}`);
  }
  return `${lines.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

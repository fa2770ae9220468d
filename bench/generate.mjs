// Benchmark inputs, shaped as kpt really sends them: a kpt package on disk (`writePackage`) and the
// ResourceList `kpt fn eval --exec` passes a function for it (`resourceList`), byte for byte — the Kptfile
// first, files in path order, every item with the 8 annotations kpt adds, a comment on every foreign item.
// bench/run.mjs checks that equality against the installed kpt before it measures anything. Half of the
// streams are webhooks, half EventBridge streams with a known partner event source; there are as many
// foreign items (ConfigMaps) as streams.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PER_FILE = 100;
const KPTFILE = `apiVersion: kpt.dev/v1
kind: Kptfile
metadata:
  name: bench
  annotations:
    config.kubernetes.io/local-config: "true"
`;

/** A stream as written in its file; `spec` varies the webhook (for gRPC requests that differ in spec). */
function stream(i) {
  const name = `stream-${String(i).padStart(6, '0')}`;
  if (i % 2 === 0) {
    return `apiVersion: auth0.openmcf.org/v1
kind: Auth0EventStream
metadata:
  name: ${name}
  namespace: team-${i % 20}
spec:
  destination_type: webhook
  subscriptions:
  - user.created
  - user.updated
  - organization.member.*
  webhook_configuration:
    webhook_endpoint: https://hooks.example.com/${name}
    webhook_authorization:
      method: bearer
      token_secret_ref:
        name: ${name}-webhook
        key: token
`;
  }
  return `apiVersion: auth0.openmcf.org/v1
kind: Auth0EventStream
metadata:
  name: ${name}
  namespace: team-${i % 20}
spec:
  destination_type: eventbridge
  subscriptions:
  - user.*
  - group.created
  eventbridge_configuration:
    aws_account_id: "123456789012"
    aws_region: eu-west-1
status:
  outputs:
    id: est_${String(i).padStart(22, '0')}
    aws_partner_event_source: aws.partner/auth0.com/acme-${String(i).padStart(8, '0')}-5747-42cc-afde-016050660582/auth0.events
`;
}

function foreign(i) {
  return `# Settings of service ${i}; not an event stream.
apiVersion: v1
kind: ConfigMap
metadata:
  name: service-${i} # owned by team ${i % 20}
  namespace: team-${i % 20}
  labels:
    app: service-${i}
data:
  region: "eu"
  replicas: "3"
  enabled: "yes"
`;
}

/** The files of the package: `[path, documents]`, 100 documents per file. */
function files(streams) {
  const list = [];
  for (let file = 0; file * PER_FILE < streams; file++) {
    const range = Array.from({ length: Math.min(PER_FILE, streams - file * PER_FILE) }, (_, n) => file * PER_FILE + n);
    list.push([`services-${file}.yaml`, range.map(foreign)]);
    list.push([`streams-${file}.yaml`, range.map(stream)]);
  }
  return list;
}

/**
 * One document as kpt puts it in the ResourceList: a head comment moves onto the `-` line, the annotations
 * kpt adds close `metadata`, and everything is indented under the `-`.
 */
function asItem(document, path, index, id) {
  const annotations = [
    `config.kubernetes.io/index: '${index}'`,
    `config.kubernetes.io/path: '${path}'`,
    `internal.config.kubernetes.io/index: '${index}'`,
    `internal.config.kubernetes.io/path: '${path}'`,
    `internal.config.kubernetes.io/seqindent: 'compact'`,
    `internal.config.kubernetes.io/annotations-migration-resource-id: '${id - 1}'`,
    `internal.config.kubernetes.io/id: '${id}'`,
    `config.k8s.io/id: '${id}'`,
  ];
  const lines = document.trimEnd().split('\n');
  const after = lines.findIndex((line, n) => n > lines.indexOf('metadata:') && !line.startsWith(' '));
  const metadataEnd = after === -1 ? lines.length : after;
  const existing = lines.findIndex((line) => line === '  annotations:');
  const added = annotations.map((line) => `    ${line}`);
  if (existing >= 0) lines.splice(metadataEnd, 0, ...added);
  else lines.splice(metadataEnd, 0, '  annotations:', ...added);
  const comment = lines[0].startsWith('#') ? lines.shift() : undefined;
  const body = lines.map((line, n) => (n === 0 ? `${comment === undefined ? '- ' : '  '}${line}` : `  ${line}`));
  return `${comment === undefined ? '' : `- ${comment}\n`}${body.join('\n')}\n`;
}

/** Everything `kpt fn eval --exec` sends for the package `writePackage(dir, streams)` writes, without config. */
export function* resourceListChunks(streams) {
  yield 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';
  let id = 1;
  yield asItem(KPTFILE, 'Kptfile', 0, id++);
  const sorted = files(streams).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [path, documents] of sorted) {
    let chunk = '';
    documents.forEach((document, index) => {
      chunk += asItem(document, path, index, id++);
    });
    yield chunk;
  }
  yield 'functionConfig:\n  metadata:\n    name: function-input\n  data: {}\n  kind: ConfigMap\n  apiVersion: v1\n';
}

export function resourceList(streams) {
  return [...resourceListChunks(streams)].join('');
}

/** The documents kustomize passes a legacy exec plugin for the same resources (no annotations, no comments). */
export function* legacyChunks(streams) {
  for (const [, documents] of files(streams)) {
    yield documents
      .map(
        (document) =>
          `---\n${document
            .split('\n')
            .filter((line) => !line.startsWith('#'))
            .join('\n')
            .replace(/ # .*$/gm, '')}`,
      )
      .join('');
  }
}

/** A kpt package on disk with the same content. */
export function writePackage(dir, streams) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Kptfile'), KPTFILE);
  for (const [path, documents] of files(streams)) writeFileSync(join(dir, path), documents.join('---\n'));
}

/**
 * One eventbridge XR in phase 2 (partner source observed in the Workspace outputs), as a RunFunctionRequest.
 * `variant` changes the spec (which event types, in which order) and the tag, so that requests differ in
 * content as they do when users edit XRs; the account and region stay (changing them is refused once the
 * stream exists).
 */
export function phase2Request(workspace, variant = 0) {
  const eventTypes = ['user.*', 'organization.*', 'group.created', 'connection.updated', 'user.deleted', 'group.member.added', 'organization.member.*'];
  const subscriptions = variant === 0 ? ['user.*', 'organization.*'] : eventTypes.filter((_, index) => ((variant >> index) & 1) === 1 || index === variant % eventTypes.length);
  return {
    meta: { tag: `bench-${variant}`, capabilities: [] },
    observed: {
      composite: {
        resource: {
          apiVersion: 'auth0.openmcf.org/v1',
          kind: 'Auth0EventStream',
          metadata: { name: 'tenant-events', namespace: 'identity' },
          spec: {
            destination_type: 'eventbridge',
            subscriptions,
            eventbridge_configuration: { aws_account_id: '123456789012', aws_region: 'eu-west-1' },
          },
        },
      },
      resources: {
        workspace: {
          resource: {
            ...workspace,
            status: {
              atProvider: {
                outputs: {
                  id: 'est_jmj7QpymGFqmysiCpWAcZe',
                  aws_partner_event_source: 'aws.partner/auth0.com/acme-prod-fbedbd06-5747-42cc-afde-016050660582/auth0.events',
                },
              },
              conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
            },
          },
        },
      },
    },
    input: {
      apiVersion: 'fn.auth0.openmcf.org/v1alpha1',
      kind: 'ExpansionConfig',
      spec: { routes: [{ name: 'new-users', eventTypes: ['user.created'], targets: [{ arn: 'arn:aws:lambda:eu-west-1:123456789012:function:welcome' }] }] },
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 1000);
  const chunks = process.argv[3] === '--legacy' ? legacyChunks(count) : resourceListChunks(count);
  for (const chunk of chunks) process.stdout.write(chunk);
}

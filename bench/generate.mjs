// Generates benchmark inputs: Auth0EventStreams (half webhook, half eventbridge with a known partner event
// source) and as many foreign items with comments, as a kpt-style ResourceList or as a kpt package on disk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function stream(i) {
  const name = `stream-${String(i).padStart(5, '0')}`;
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

/** Indents a document as an item of a block sequence at column 0, with kpt's path and index annotations. */
function asItem(document, path, index) {
  const annotated = document.replace(
    /^metadata:\n/m,
    `metadata:\n  annotations:\n    internal.config.kubernetes.io/path: '${path}'\n    internal.config.kubernetes.io/index: '${index}'\n`,
  );
  const lines = annotated.trimEnd().split('\n');
  const first = lines.findIndex((line) => !line.startsWith('#'));
  return lines.map((line, n) => (n === first ? `- ${line}` : line.startsWith('#') && n < first ? line : `  ${line}`)).join('\n');
}

/** A ResourceList as kpt sends it: `streams` streams and `streams` foreign items, in files of 100 documents. */
export function resourceList(streams) {
  const items = [];
  for (let i = 0; i < streams; i++) {
    items.push(asItem(stream(i), `streams-${Math.floor(i / 100)}.yaml`, i % 100));
    items.push(asItem(foreign(i), `services-${Math.floor(i / 100)}.yaml`, i % 100));
  }
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items.join('\n')}\n`;
}

/** A kpt package on disk with the same content. */
export function writePackage(dir, streams) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Kptfile'), 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: bench\n  annotations:\n    config.kubernetes.io/local-config: "true"\n');
  for (let file = 0; file * 100 < streams; file++) {
    const range = Array.from({ length: Math.min(100, streams - file * 100) }, (_, n) => file * 100 + n);
    writeFileSync(join(dir, `streams-${file}.yaml`), range.map(stream).join('---\n'));
    writeFileSync(join(dir, `services-${file}.yaml`), range.map(foreign).join('---\n'));
  }
}

/** One eventbridge XR in phase 2 (partner source observed in the Workspace outputs), as a RunFunctionRequest. */
export function phase2Request(workspace) {
  return {
    meta: { tag: 'bench', capabilities: [] },
    observed: {
      composite: {
        resource: {
          apiVersion: 'auth0.openmcf.org/v1',
          kind: 'Auth0EventStream',
          metadata: { name: 'tenant-events', namespace: 'identity' },
          spec: {
            destination_type: 'eventbridge',
            subscriptions: ['user.*', 'organization.*'],
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
  process.stdout.write(resourceList(count));
}

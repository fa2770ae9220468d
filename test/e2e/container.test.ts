/**
 * The container images, built from the Dockerfile and run for real with podman:
 * - the KRM image through `kpt fn eval --image` (KPT_FN_RUNTIME=podman) gives exactly what `--exec` gives, on
 *   every kpt example: the same files, the same results, the same exit code;
 * - the Crossplane runtime image, run the way Crossplane's function runtime runs it (uid 2000, certificates
 *   mounted read-only at /tls/server, no flags about TLS), answers RunFunction and health over mTLS and refuses a
 *   client without a certificate.
 * Both images are built once for the file (see test/support/containers.ts for the stand-in Node.js base).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { credentials, status as GrpcStatus } from '@grpc/grpc-js';
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates, type TestCertificates } from '../support/certs.js';
import { buildImages, checkPodman, podman, podmanEnv, readableCopy, type FunctionImages } from '../support/containers.js';
import { call, functionClient, startServerCommand, type ServerProcess } from '../support/grpc.js';
import { checkHealth } from '../support/health-client.js';
import { checkTool, envWithFunction, repoRoot } from '../support/tools.js';
import { webhookXr } from '../support/xr.js';

const podmanCheck = checkPodman();
const kpt = checkTool('kpt');
const openssl = checkTool('openssl', ['version']);
const examplesDir = join(repoRoot, 'examples', 'kpt');
const examples = readdirSync(examplesDir).filter((name) => existsSync(join(examplesDir, name, 'Kptfile')));

let images: FunctionImages;
beforeAll(() => {
  if (podmanCheck.available) images = buildImages();
}, 900_000);
// The tags go; podman keeps the cached layers, so the next run builds again in seconds.
afterAll(() => {
  if (images !== undefined) spawnSync('podman', ['rmi', '--ignore', images.krm, images.crossplane], { env: podmanEnv() });
});

describe.skipIf(!podmanCheck.available)('the images', () => {
  it('run as uid 2000, the KRM image with no command of its own, the Crossplane image serving on 9443 by default, neither with a CA of the build', () => {
    const inspect = (image: string) =>
      (
        JSON.parse(podman(['image', 'inspect', image])) as Array<{
          Config: { User: string; Entrypoint: string[]; Cmd?: string[]; Env: string[]; ExposedPorts?: Record<string, unknown> };
        }>
      )[0]!.Config;
    const krm = inspect(images.krm);
    const crossplane = inspect(images.crossplane);
    expect([krm.User, krm.Entrypoint, krm.Cmd ?? []]).toStrictEqual(['2000:2000', ['node', '/fn/dist/auth0-eventstream-fn.cjs'], []]);
    expect([crossplane.User, crossplane.Entrypoint, crossplane.Cmd, Object.keys(crossplane.ExposedPorts ?? {})]).toStrictEqual([
      '2000:2000',
      krm.Entrypoint,
      ['serve'],
      ['9443/tcp'],
    ]);
    expect(crossplane.Env).toContain('TLS_SERVER_CERTS_DIR=/tls/server');
    for (const config of [krm, crossplane]) expect(config.Env.filter((variable) => variable.startsWith('NODE_EXTRA_CA_CERTS'))).toStrictEqual([]);
  });

  it('the KRM image prints its version, from the same build as dist/', () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(podman(['run', '--rm', images.krm, '--version']).trim()).toBe(version);
  });
});

/** Every file of a package directory, by path relative to it. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
      .sort()
      .map((file) => [file, readFileSync(join(dir, file), 'utf8')]),
  );
}

/** `kpt fn eval` on a fresh copy of an example; the function given as `--exec NAME` or `--image IMAGE`. */
function evalCopy(example: string, how: ['--exec' | '--image', string]): { status: number | null; files: Record<string, string>; results: unknown; stderr: string } {
  const tmp = mkdtempSync(join(tmpdir(), `kpt-image-${example}-`));
  const pkg = join(tmp, example);
  cpSync(join(examplesDir, example), pkg, { recursive: true, filter: (src) => !relative(examplesDir, src).includes('.expected') });
  const resultsDir = join(tmp, 'results');
  const run = spawnSync('kpt', ['fn', 'eval', pkg, ...how, '--fn-config', join(pkg, 'fn-config.yaml'), '--results-dir', resultsDir], {
    cwd: tmp,
    encoding: 'utf8',
    env: envWithFunction({ KPT_FN_RUNTIME: 'podman', CONTAINERS_CONF: podmanEnv()['CONTAINERS_CONF']! }),
  });
  return { status: run.status, files: snapshot(pkg), results: functionResults(readFileSync(join(resultsDir, 'results.yaml'), 'utf8')), stderr: run.stderr };
}

/**
 * kpt's results file without what names the runtime: the `image:` or `exec:` of each function, and the trailing
 * newline of its stderr (kpt keeps it from an exec function and trims it from a container).
 */
function functionResults(text: string): unknown {
  const list = load(text) as { items: Array<Record<string, unknown>> };
  return {
    ...list,
    items: list.items.map(({ image: _image, exec: _exec, stderr, ...item }) => ({ ...item, stderr: typeof stderr === 'string' ? stderr.trimEnd() : stderr })),
  };
}

describe.skipIf(!podmanCheck.available || !kpt.available)('kpt fn eval --image (podman) against --exec', () => {
  it.each(examples)('examples/kpt/%s: the same files, results and exit code', (example) => {
    const exec = evalCopy(example, ['--exec', 'auth0-eventstream-fn']);
    const image = evalCopy(example, ['--image', images.krm]);
    expect(exec.status, exec.stderr).toBe(0);
    expect(image.status, image.stderr).toBe(0);
    expect(Object.keys(image.files).filter((file) => file.endsWith('.generated.yaml')).length).toBeGreaterThan(0);
    expect(image.files).toStrictEqual(exec.files);
    expect(image.results).toStrictEqual(exec.results);
  });

  it.each(examples)('examples/kpt/%s: kpt fn render with `image:` in the Kptfile gives what `exec:` gives', (example) => {
    const render = (line: string, allowExec: string[]) => {
      const pkg = join(mkdtempSync(join(tmpdir(), `kpt-render-image-${example}-`)), example);
      cpSync(join(examplesDir, example), pkg, { recursive: true, filter: (src) => !relative(examplesDir, src).includes('.expected') });
      const kptfile = readFileSync(join(pkg, 'Kptfile'), 'utf8');
      expect(kptfile).toContain('    - exec: auth0-eventstream-fn\n');
      writeFileSync(join(pkg, 'Kptfile'), kptfile.replace('    - exec: auth0-eventstream-fn\n', `    - ${line}\n`));
      const run = spawnSync('kpt', ['fn', 'render', pkg, ...allowExec], {
        encoding: 'utf8',
        env: envWithFunction({ KPT_FN_RUNTIME: 'podman', CONTAINERS_CONF: podmanEnv()['CONTAINERS_CONF']! }),
      });
      expect(run.status, run.stderr).toBe(0);
      const { Kptfile: _kptfile, ...files } = snapshot(pkg);
      return files;
    };
    expect(render(`image: ${images.krm}`, [])).toStrictEqual(render('exec: auth0-eventstream-fn', ['--allow-exec']));
  });

  it('an invalid stream fails the same way in both, naming the field and the file, and changes nothing', () => {
    const broken = mkdtempSync(join(tmpdir(), 'kpt-image-broken-'));
    const pkg = join(broken, 'webhook-stream');
    cpSync(join(examplesDir, 'webhook-stream'), pkg, { recursive: true, filter: (src) => !relative(examplesDir, src).includes('.expected') });
    const streams = join(pkg, 'streams.yaml');
    const original = readFileSync(streams, 'utf8');
    const typo = original.replace('  destination_type: webhook\n', '  destination_type: webhooks\n');
    expect(typo).not.toBe(original);
    writeFileSync(streams, typo);
    const before = snapshot(pkg);
    const run = spawnSync('kpt', ['fn', 'eval', pkg, '--image', images.krm, '--fn-config', join(pkg, 'fn-config.yaml')], {
      encoding: 'utf8',
      env: envWithFunction({ KPT_FN_RUNTIME: 'podman', CONTAINERS_CONF: podmanEnv()['CONTAINERS_CONF']! }),
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/spec\.destination_type/);
    expect(run.stderr).toMatch(/streams\.yaml/);
    expect(snapshot(pkg)).toStrictEqual(before);
  });
});

describe.skipIf(!podmanCheck.available || !openssl.available)('the Crossplane runtime image, run as Crossplane runs it', () => {
  let certs: TestCertificates;
  let server: ServerProcess;
  const name = `auth0-eventstream-fn-test-${process.pid}`;
  beforeAll(async () => {
    certs = makeCertificates();
    const mounted = readableCopy(certs.serverDir, ['tls.crt', 'tls.key', 'ca.crt']);
    server = await startServerCommand(
      'podman',
      [
        'run',
        '--rm',
        '--name',
        name,
        '--network',
        'host',
        '--user',
        '2000:2000',
        '--read-only',
        '--cap-drop',
        'all',
        '--security-opt',
        'no-new-privileges',
        '--volume',
        `${mounted}:/tls/server:ro`,
        images.crossplane,
        // The image's command is `serve`; only the port differs from what Crossplane runs (9443 may be taken here).
        'serve',
        '--address',
        '127.0.0.1:0',
      ],
      podmanEnv(),
    );
  }, 60_000);
  afterAll(async () => {
    const code = await server?.stop();
    spawnSync('podman', ['rm', '--force', '--ignore', name], { env: podmanEnv() });
    expect(code, 'the server exits 0 on SIGTERM').toBe(0);
  });

  const request = () => ({ meta: { tag: 'container', capabilities: [] }, observed: { composite: { resource: webhookXr(), connectionDetails: {} }, resources: {} } });
  const mtls = () => credentials.createSsl(certs.ca, certs.client.key, certs.client.cert);

  it('answers RunFunction over mTLS with the composed Workspace', async () => {
    const client = functionClient(server.port, mtls(), 'localhost');
    const response = await call(client, request());
    client.close();
    expect(response.meta?.tag).toBe('container');
    expect(response.results.filter((result) => result.severity === Severity.SEVERITY_FATAL)).toStrictEqual([]);
    expect(Object.keys(response.desired?.resources ?? {})).toStrictEqual(['workspace']);
  });

  it('reports SERVING on the health service over mTLS', async () => {
    expect(await checkHealth(server.port, '', mtls(), 'localhost')).toBe(1);
    expect(await checkHealth(server.port, 'apiextensions.fn.proto.v1.FunctionRunnerService', mtls(), 'localhost')).toBe(1);
  });

  it('refuses a client without a certificate, and one whose certificate another CA signed', async () => {
    await expect(call(functionClient(server.port, credentials.createSsl(certs.ca), 'localhost'), request(), 5_000)).rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE });
    await expect(checkHealth(server.port, '', credentials.createSsl(certs.ca), 'localhost')).rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE });
    const stranger = credentials.createSsl(certs.ca, certs.stranger.key, certs.stranger.cert);
    await expect(call(functionClient(server.port, stranger, 'localhost'), request(), 5_000)).rejects.toMatchObject({ code: GrpcStatus.UNAVAILABLE });
  });

  it('runs as uid 2000', () => {
    expect(podman(['exec', name, 'node', '-e', 'process.stdout.write(`${process.getuid()}:${process.getgid()}`)'])).toBe('2000:2000');
  });
});

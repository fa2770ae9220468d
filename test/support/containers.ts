/**
 * The function's container images, built for real with podman from the project's Dockerfile.
 *
 * No image registry is reachable from the machines the tests run on, so the Node.js base image the Dockerfile
 * takes as `NODE_IMAGE` is a stand-in made from the host: its `node` and the libraries `ldd` lists, `env`, a shell,
 * npm, and a passwd with `nobody` (kpt runs function images as nobody). It is built once per host Node.js binary
 * and kept, so podman's layer cache keeps the image build fast (npm ci runs again only when package-lock.json
 * changes). The built images are tagged per checkout, so two checkouts on one machine do not swap images.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkTool, repoRoot } from './tools.js';

/** podman's settings for the tests (runc, no default ulimits), instead of the system's. */
export const containersConf = join(repoRoot, 'test', 'e2e', 'containers.conf');

export function podmanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CONTAINERS_CONF: containersConf, ...extra };
}

/** podman and runc are installed (CI: `.ci/run` installs them; a missing one fails there, and skips elsewhere). */
export function checkPodman(): { available: boolean; reason: string } {
  for (const [command, args] of [
    ['podman', ['--version']],
    ['runc', ['--version']],
  ] as const) {
    const check = checkTool(command, args);
    if (!check.available) return check;
  }
  return { available: true, reason: '' };
}

export function podman(args: readonly string[], options: { input?: string } = {}): string {
  return execFileSync('podman', args, { env: podmanEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'], ...options });
}

function imageExists(tag: string): boolean {
  return spawnSync('podman', ['image', 'exists', tag], { env: podmanEnv() }).status === 0;
}

/** Bumped whenever the stand-in's recipe changes, so an old stand-in is not reused. */
const STAND_IN_RECIPE = 1;

/** A Node.js base image made from the host's node and npm, tagged by what it was made from. */
export function nodeStandInImage(): string {
  const node = realpathSync(process.execPath);
  const npmCli = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
  const npmRoot = dirname(dirname(npmCli));
  const { size, mtimeMs } = statSync(node);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([STAND_IN_RECIPE, node, size, mtimeMs, npmRoot]))
    .digest('hex')
    .slice(0, 12);
  const tag = `localhost/auth0-eventstream-fn-node:${process.versions.node}-${fingerprint}`;
  if (imageExists(tag)) return tag;

  const work = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-node-image-'));
  const root = join(work, 'root');
  const place = (from: string, to: string) => {
    mkdirSync(join(root, dirname(to)), { recursive: true });
    copyFileSync(realpathSync(from), join(root, to));
    chmodSync(join(root, to), statSync(realpathSync(from)).mode & 0o777);
  };
  const withLibraries = (binary: string, to: string) => {
    place(binary, to);
    for (const library of sharedLibraries(binary)) place(library, library);
  };
  withLibraries(node, '/usr/local/bin/node');
  withLibraries('/usr/bin/env', '/usr/bin/env');
  withLibraries('/bin/sh', '/bin/sh');
  mkdirSync(join(root, 'usr/local/lib/node_modules'), { recursive: true });
  execFileSync('cp', ['-a', npmRoot, join(root, 'usr/local/lib/node_modules/npm')]);
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(root, 'usr/local/bin/npm'));
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n');
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  mkdirSync(join(root, 'tmp'), { mode: 0o1777 });
  chmodSync(join(root, 'tmp'), 0o1777);
  mkdirSync(join(root, 'root'), { mode: 0o700 });
  const archive = join(work, 'rootfs.tar');
  execFileSync('tar', ['-C', root, '-cf', archive, '.']);
  podman(['import', '--change', 'ENV PATH=/usr/local/bin:/usr/bin:/bin', archive, tag]);
  rmSync(work, { recursive: true, force: true });
  return tag;
}

/** The files `ldd` says a binary loads (the dynamic loader included). */
function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/g)].map((match) => match[1]!);
}

export interface FunctionImages {
  /** `--target krm`: the KRM function. */
  readonly krm: string;
  /** `--target crossplane`: the Crossplane function runtime. */
  readonly crossplane: string;
}

/**
 * Builds both targets of the Dockerfile on the stand-in base, the way README says (`--secret id=npm-ca` carries
 * the registry CA for `npm ci`; `--network=host`; nothing pulled).
 */
export function buildImages(): FunctionImages {
  const base = nodeStandInImage();
  const checkout = createHash('sha256').update(repoRoot).digest('hex').slice(0, 8);
  const images = { krm: `localhost/auth0-eventstream-fn:test-${checkout}`, crossplane: `localhost/auth0-eventstream-fn-runtime:test-${checkout}` };
  const ca = process.env['NODE_EXTRA_CA_CERTS'];
  const secret = ca !== undefined && ca !== '' ? ['--secret', `id=npm-ca,src=${ca}`] : [];
  for (const [target, tag] of [
    ['krm', images.krm],
    ['crossplane', images.crossplane],
  ] as const) {
    const build = spawnSync('podman', ['build', '--pull=never', '--network=host', ...secret, '--build-arg', `NODE_IMAGE=${base}`, '--target', target, '--tag', tag, repoRoot], {
      env: podmanEnv(),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (build.status !== 0) throw new Error(`podman build --target ${target} failed (exit ${build.status}):\n${build.stdout.slice(-4000)}\n${build.stderr.slice(-4000)}`);
  }
  return images;
}

/** A fixed copy of a directory, world-readable as Kubernetes mounts a Secret volume (mode 0644). */
export function readableCopy(dir: string, files: readonly string[]): string {
  const copy = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-mount-'));
  chmodSync(copy, 0o755);
  for (const file of files) {
    writeFileSync(join(copy, file), readFileSync(join(dir, file)));
    chmodSync(join(copy, file), 0o644);
  }
  return copy;
}

#!/usr/bin/env node
// `npm run example`: renders examples/kpt/webhook-stream through the built function, the way a user would —
// with `kpt fn render --allow-exec` when kpt is installed, else by piping the package through the CLI in its
// kustomize plugin mode — and prints what the function generated.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'auth0-eventstream-fn.cjs');
const example = process.argv[2] ?? 'webhook-stream';
const work = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-example-'));
const pkg = join(work, example);
cpSync(join(root, 'examples', 'kpt', example), pkg, { recursive: true, filter: (src) => !src.includes('.expected') });
symlinkSync(cli, join(work, 'auth0-eventstream-fn'));
const env = { ...process.env, PATH: `${work}:${process.env.PATH}` };

const kpt = spawnSync('kpt', ['version'], { encoding: 'utf8' });
if (kpt.status === 0) {
  console.error(`$ kpt fn render ${example} --allow-exec   (in ${work})`);
  const render = spawnSync('kpt', ['fn', 'render', example, '--allow-exec'], { cwd: work, env, stdio: 'inherit' });
  if (render.status !== 0) process.exit(render.status ?? 1);
  for (const file of readdirSync(pkg)
    .filter((name) => name.endsWith('.generated.yaml'))
    .sort()) {
    console.log(`# ---- ${example}/${file}`);
    process.stdout.write(readFileSync(join(pkg, file), 'utf8'));
  }
} else {
  console.error('kpt is not installed: running the function as kustomize would (plugin mode, multi-document YAML)');
  const input = readdirSync(pkg)
    .filter((name) => name.endsWith('.yaml') && name !== 'fn-config.yaml')
    .map((name) => readFileSync(join(pkg, name), 'utf8'))
    .join('\n---\n');
  const run = spawnSync(process.execPath, [cli, join(pkg, 'fn-config.yaml')], { input, env, stdio: ['pipe', 'inherit', 'inherit'] });
  process.exit(run.status ?? 1);
}

#!/usr/bin/env node
// `npm run bench`: five measurements, each against a baseline run interleaved with it in the same process
// (A B A B …), medians with the min–max spread. Prints a table of ratios against the targets and writes it to
// bench/RESULTS.md. Inputs come from bench/generate.mjs; nothing is committed but the results table.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { FunctionRunnerServiceService, RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { phase2Request, resourceList, writePackage } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'auth0-eventstream-fn.cjs');
const floor = join(root, 'bench', 'floor.mjs');
const work = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-bench-'));
const quick = process.argv.includes('--quick');
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const rows = [];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spread = (values) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
const log = (message) => process.stderr.write(`${message}\n`);

/** Runs a command with stdin from a file; wall time in ms and peak RSS in MiB (from /usr/bin/time). */
function measure(args, inputFile, env = process.env) {
  const command = timeBin ? [timeBin, '-f', '%M', ...args] : args;
  const started = process.hrtime.bigint();
  const run = spawnSync(command[0], command.slice(1), { input: readFileSync(inputFile), env, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr.toString().slice(-500)}`);
  const rssKiB = timeBin ? Number(run.stderr.toString().trim().split('\n').at(-1)) : NaN;
  return { ms, rssMiB: rssKiB / 1024, stdout: run.stdout };
}

function row(name, fn, base, target, unit = 'ms', better = 'lower') {
  const ratios = fn.map((value, i) => value / base[i]);
  const ratio = median(ratios);
  const met = target === undefined ? '—' : better === 'lower' ? (ratio <= target ? 'yes' : 'NO') : ratio >= target ? 'yes' : 'NO';
  rows.push({
    name,
    fn: `${median(fn).toFixed(unit === 'ms' ? 1 : 2)} ${unit}`,
    base: `${median(base).toFixed(unit === 'ms' ? 1 : 2)} ${unit}`,
    ratio: ratio.toFixed(2),
    target: target === undefined ? 'report' : `${better === 'lower' ? '≤' : '≥'} ${target}`,
    met,
    spread: spread(ratios),
  });
  log(`  ${name}: ${ratio.toFixed(2)}× (spread ${spread(ratios)})`);
}

// 1. Cold start: one stream, against `node -e 0`.
function coldStart() {
  log('1. cold start');
  const input = join(work, 'one.yaml');
  writeFileSync(input, resourceList(1));
  const fn = [];
  const base = [];
  const runs = quick ? 7 : 21;
  for (let i = 0; i < runs; i++) {
    fn.push(measure([process.execPath, cli], input).ms);
    base.push(measure([process.execPath, '-e', '0'], input).ms);
  }
  row('1. cold start, 1 stream vs `node -e 0`', fn, base, 1.3);
}

// 2 and 3. Throughput and peak memory: the function on N streams + N foreign items, against the floor script
// parsing and writing back the function's own output.
function throughput() {
  const perItem = {};
  for (const streams of quick ? [1000] : [1000, 10000]) {
    log(`2. throughput, ${streams} streams`);
    const input = join(work, `rl-${streams}.yaml`);
    writeFileSync(input, resourceList(streams));
    const output = join(work, `out-${streams}.yaml`);
    writeFileSync(output, measure([process.execPath, cli], input).stdout);
    const fn = [];
    const base = [];
    const fnRss = [];
    const baseRss = [];
    const runs = streams >= 10000 ? 3 : quick ? 3 : 7;
    for (let i = 0; i < runs; i++) {
      const a = measure([process.execPath, cli], input);
      const b = measure([process.execPath, floor], output);
      fn.push(a.ms);
      base.push(b.ms);
      fnRss.push(a.rssMiB);
      baseRss.push(b.rssMiB);
    }
    perItem[streams] = median(fn) / streams;
    row(`2. throughput, ${streams.toLocaleString('en')} streams + ${streams.toLocaleString('en')} foreign items vs js-yaml floor`, fn, base, streams === 1000 ? 1.25 : undefined);
    if (streams === 1000 && timeBin) row('3. peak memory (RSS), 1,000 streams vs floor', fnRss, baseRss, 1.5, 'MiB');
  }
  if (perItem[10000] !== undefined) {
    const growth = perItem[10000] / perItem[1000];
    rows.push({
      name: '2. time per item at 10,000 vs at 1,000 streams (linear growth)',
      fn: `${(perItem[10000] * 1000).toFixed(0)} µs`,
      base: `${(perItem[1000] * 1000).toFixed(0)} µs`,
      ratio: growth.toFixed(2),
      target: '≤ 1.2',
      met: growth <= 1.2 ? 'yes' : 'NO',
      spread: '',
    });
    log(`  growth per item: ${growth.toFixed(2)}`);
  }
}

// 4. kpt end to end: `kpt fn eval --exec` with the function vs with `cat`, each on a fresh copy of the package.
function kptEndToEnd() {
  if (spawnSync('kpt', ['version']).status !== 0) {
    rows.push({ name: '4. kpt fn eval --exec, 1,000 streams vs `--exec cat`', fn: 'kpt not installed', base: '', ratio: '', target: 'report', met: '—', spread: '' });
    return;
  }
  log('4. kpt end to end');
  const template = join(work, 'pkg-template');
  writePackage(template, 1000);
  const bin = join(work, 'bin');
  cpSync(join(root, 'dist'), bin, { recursive: true });
  cpSync(cli, join(bin, 'auth0-eventstream-fn'));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const once = (exec) => {
    const pkg = join(work, `pkg-${Math.random().toString(36).slice(2)}`);
    cpSync(template, pkg, { recursive: true });
    const started = process.hrtime.bigint();
    const run = spawnSync('kpt', ['fn', 'eval', pkg, '--exec', exec], { env });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (run.status !== 0) throw new Error(`kpt fn eval --exec ${exec}: ${run.stderr.toString().slice(-500)}`);
    rmSync(pkg, { recursive: true, force: true });
    return ms;
  };
  const fn = [];
  const base = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    fn.push(once('auth0-eventstream-fn'));
    base.push(once('cat'));
  }
  row('4. kpt fn eval --exec, 1,000 streams vs `--exec cat`', fn, base, undefined);
}

// 5. Crossplane: requests per second and p50/p99 latency, the function vs a no-op function built with the SDK.
async function crossplane() {
  log('5. Crossplane RunFunction');
  const Client = makeGenericClientConstructor(FunctionRunnerServiceService, 'apiextensions.fn.proto.v1.FunctionRunnerService');
  // The load generator shares the two cores with the server: it sends pre-encoded requests and does not decode
  // responses, so what is measured is the server (Crossplane decodes in Go, not here).
  const RawClient = makeGenericClientConstructor(
    { runFunction: { ...FunctionRunnerServiceService.runFunction, requestSerialize: (bytes) => bytes, responseDeserialize: (bytes) => bytes } },
    'apiextensions.fn.proto.v1.FunctionRunnerService',
  );
  const start = (args) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        const match = /"msg":"serving".*?"port":(\d+)/.exec(stderr);
        if (match) resolve({ child, port: Number(match[1]) });
      });
      child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
    });
  const fnServer = await start([cli, 'serve', '--insecure', '--address', '127.0.0.1:0']);
  const noopServer = await start([join(root, 'bench', 'noop-server.mjs')]);

  const request = RunFunctionRequest.fromJSON(phase2Request(await firstWorkspace(fnServer.port, Client)));

  /** `unique`: every call carries a new tag, so the function expands every time (no response cache). */
  const encoded = Buffer.from(RunFunctionRequest.encode(request).finish());
  const drive = async (port, concurrency, total, unique = false) => {
    const client = new RawClient(`127.0.0.1:${port}`, credentials.createInsecure());
    const latencies = [];
    let next = 0;
    const started = process.hrtime.bigint();
    const worker = async () => {
      while (next < total) {
        const call = unique ? Buffer.from(RunFunctionRequest.encode({ ...request, meta: { tag: `bench-${next}-${Math.random()}`, capabilities: [] } }).finish()) : encoded;
        next++;
        const t = process.hrtime.bigint();
        await new Promise((resolve, reject) => client.runFunction(call, (error, response) => (error ? reject(error) : resolve(response))));
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    client.close();
    latencies.sort((a, b) => a - b);
    return { rps: total / seconds, p50: latencies[Math.floor(latencies.length * 0.5)], p99: latencies[Math.floor(latencies.length * 0.99)] };
  };

  for (const [unique, label] of [
    [false, 'an unchanged XR (same tag: cached)'],
    [true, 'every request new (no cache)'],
  ]) {
    for (const concurrency of [1, 32]) {
      const total = concurrency === 1 ? (quick ? 200 : 500) : quick ? 1000 : 4000;
      await drive(fnServer.port, concurrency, 100, unique); // warm up both
      await drive(noopServer.port, concurrency, 100, unique);
      const fn = [];
      const base = [];
      for (let round = 0; round < 3; round++) {
        fn.push(await drive(fnServer.port, concurrency, total, unique));
        base.push(await drive(noopServer.port, concurrency, total, unique));
      }
      const target = (value) => (unique ? undefined : value);
      row(
        `5. Crossplane, ${label}, concurrency ${concurrency}: req/s vs no-op`,
        fn.map((r) => r.rps),
        base.map((r) => r.rps),
        target(0.8),
        'req/s',
        'higher',
      );
      row(
        `5. Crossplane, ${label}, concurrency ${concurrency}: p50 latency vs no-op`,
        fn.map((r) => r.p50),
        base.map((r) => r.p50),
        undefined,
      );
      row(
        `5. Crossplane, ${label}, concurrency ${concurrency}: p99 latency vs no-op`,
        fn.map((r) => r.p99),
        base.map((r) => r.p99),
        target(2),
      );
    }
  }
  fnServer.child.kill('SIGTERM');
  noopServer.child.kill('SIGTERM');
}

/** The Workspace the function composes in phase 1, to observe it (with outputs) in phase 2. */
async function firstWorkspace(port, Client) {
  const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  const phase1 = phase2Request({});
  phase1.observed.resources = {};
  // A tag promises identical content: phase 1 must not share phase 2's, or the server answers from its cache.
  phase1.meta.tag = 'bench-phase-1';
  const response = await new Promise((resolve, reject) => client.runFunction(RunFunctionRequest.fromJSON(phase1), (error, result) => (error ? reject(error) : resolve(result))));
  client.close();
  return response.desired.resources.workspace.resource;
}

const started = Date.now();
coldStart();
throughput();
kptEndToEnd();
await crossplane();
rmSync(work, { recursive: true, force: true });

const header = `Measured by \`npm run bench\` on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node.js ${process.version}, in ${Math.round((Date.now() - started) / 1000)} s.`;
const table = [
  '| case | function | baseline | ratio | target | met | spread of ratios |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.name} | ${r.fn} | ${r.base} | ${r.ratio} | ${r.target} | ${r.met} | ${r.spread} |`),
].join('\n');
process.stdout.write(`\n${header}\n\n${table}\n`);
if (!quick) writeFileSync(join(root, 'bench', 'RESULTS.md'), `${header}\n\n${table}\n`);

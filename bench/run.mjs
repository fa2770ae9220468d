#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --write]`: the function against baselines that do the same I/O, each run
// interleaved with its baseline (A B A B …); medians of the ratios with their spread. CPU time (user + system,
// from /usr/bin/time or /proc) is the measure the targets use, wall time is shown beside it: the machines
// this runs on are shared and wall time is noisy. Prints the table; `--write` also writes bench/RESULTS.md
// and README.md's performance table (nothing else is ever written outside a temporary directory).
// `--quick` skips the 200,000-stream runs, the 10,000-stream package rendered again and the instruction
// counts, and does fewer runs.
//
//   1. cold start: 1 stream vs `node -e 0`, by instructions (valgrind --tool=callgrind) and wall time
//   2. throughput and memory, 1,000 and 10,000 streams (+ as many foreign items), kpt-shaped input, against
//      the same-input floor (js-yaml load + dump of the same input) and the fair floor (js-yaml load of the
//      same input + dump of the function's exact output); marginal CPU per stream between sizes. Each size
//      twice: the first render of the package, and the rendered package rendered again (what kpt sends then,
//      made through kpt: streams marked as local configuration, the generated resources in their files)
//   3. no ceiling: 200,000 streams (+ as many foreign items), ResourceList and legacy plugin mode
//   4. kpt fn eval --exec end to end, 1,000 streams vs `--exec cat`
//   5. Crossplane RunFunction: an unchanged XR (cached) vs the transport floor (a server sending the function's
//      answer bytes back without decoding anything), a no-op function and the echo; XRs whose spec changes
//      (uncached) vs a server echoing the function's own answer to each request, and vs the no-op
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { FunctionRunnerServiceService, RunFunctionRequest, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import yaml from 'js-yaml';
import { legacyChunks, phase2Request, resourceList, resourceListChunks, writePackage } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'auth0-eventstream-fn.cjs');
const floor = join(root, 'bench', 'floor.mjs');
const work = mkdtempSync(join(tmpdir(), 'auth0-eventstream-fn-bench-'));
const quick = process.argv.includes('--quick');
const write = process.argv.includes('--write');
const TIME = '/usr/bin/time';
if (!existsSync(TIME)) throw new Error(`${TIME} is needed for CPU time and peak memory (Debian: apt-get install time)`);

const rows = [];
const notes = [];
/** The rows README.md shows (bench/RESULTS.md has them all), each under a short name. */
const summary = [];
/** The middle value; for an even count the mean of the two middle ones, so that neither side's is picked. */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const spread = (values) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
const log = (message) => process.stderr.write(`${message}\n`);
const fmt = (value, unit) => `${value.toFixed(unit === 'ms/call' ? 3 : unit === 'ms' || unit === 'M' ? 1 : 2)} ${unit}`;

/**
 * Runs `args` with stdin from a file and stdout to a file (or /dev/null): wall and CPU time in ms, peak RSS in
 * MiB, and what the program printed on stderr before /usr/bin/time's line.
 */
function measure(args, inputFile, { output = '/dev/null', env = process.env, expectStatus = 0 } = {}) {
  const stdin = openSync(inputFile, 'r');
  const stdout = openSync(output, 'w');
  const started = process.hrtime.bigint();
  const run = spawnSync(TIME, ['-f', '%e %U %S %M', ...args], { stdio: [stdin, stdout, 'pipe'], env, maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  closeSync(stdin);
  closeSync(stdout);
  const lines = run.stderr.toString().trim().split('\n');
  const [, user, system, rssKiB] = lines.at(-1).split(' ').map(Number);
  if (run.status !== expectStatus) throw new Error(`${args.join(' ')} exited ${run.status}: ${lines.slice(-6).join('\n')}`);
  return { wall, cpu: (user + system) * 1000, rss: rssKiB / 1024, stderr: lines.slice(0, -1).join('\n') };
}

/** A row: the medians of the function's and the baseline's values and of their ratios. */
function row(name, fn, base, { target, unit = 'ms', better = 'lower', wallFn, wallBase, brief } = {}) {
  const ratios = fn.map((value, i) => value / base[i]);
  const ratio = median(ratios);
  const met = target === undefined ? '—' : (better === 'lower' ? ratio <= target : ratio >= target) ? 'yes' : 'NO';
  const wall = wallFn === undefined ? '' : median(wallFn.map((value, i) => value / wallBase[i])).toFixed(2);
  rows.push({
    name,
    fn: fmt(median(fn), unit),
    base: fmt(median(base), unit),
    ratio: ratio.toFixed(2),
    wall,
    target: target === undefined ? 'report' : `${better === 'lower' ? '≤' : '≥'} ${target}`,
    met,
    spread: spread(ratios),
  });
  log(`  ${name}: ${ratio.toFixed(2)}× (spread ${spread(ratios)})${wall === '' ? '' : `, wall ${wall}×`}`);
  if (brief !== undefined) summary.push({ name: brief, value: `${ratio.toFixed(2)}×`, target: rows.at(-1).target, met: rows.at(-1).met });
}

function single(name, value, { base = '', ratio = '', target = 'report', met = '—', brief } = {}) {
  rows.push({ name, fn: value, base, ratio, wall: '', target, met, spread: '' });
  if (brief !== undefined) summary.push({ name: brief, value: ratio === '' ? value : `${ratio}×`, target, met });
  log(`  ${name}: ${value}${ratio === '' ? '' : ` (${ratio})`}`);
}

function writeChunks(file, chunks) {
  const fd = openSync(file, 'w');
  for (const chunk of chunks) writeFileSync(fd, chunk);
  closeSync(fd);
}

// 1. Cold start.
function coldStart() {
  log('1. cold start');
  const input = join(work, 'one.yaml');
  writeFileSync(input, resourceList(1));
  const fn = [];
  const base = [];
  for (let i = 0; i < (quick ? 7 : 21); i++) {
    fn.push(measure([process.execPath, cli], input));
    base.push(measure([process.execPath, '-e', '0'], input));
  }
  row(
    '1. cold start, 1 stream vs `node -e 0`: CPU time',
    fn.map((r) => r.cpu),
    base.map((r) => r.cpu),
    { wallFn: fn.map((r) => r.wall), wallBase: base.map((r) => r.wall) },
  );
  if (quick || spawnSync('valgrind', ['--version']).status !== 0) {
    notes.push(quick ? 'Instruction counts were skipped (--quick).' : 'valgrind is not installed: instruction counts were not measured.');
    return;
  }
  const instructions = (args) => {
    const run = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', ...args], { stdio: [openSync(input, 'r'), 'ignore', 'pipe'] });
    const match = /Collected : (\d+)/.exec(run.stderr.toString());
    if (match === null) throw new Error(`callgrind gave no count: ${run.stderr.toString().slice(-400)}`);
    return Number(match[1]) / 1e6;
  };
  const fnCount = [];
  const baseCount = [];
  // Five pairs: `node -e 0` alone varies by about 1 % from one process to the next (V8's hash seed, start-up
  // threads), as much as the margin of the target.
  for (let i = 0; i < 5; i++) {
    fnCount.push(instructions([process.execPath, cli]));
    baseCount.push(instructions([process.execPath, '-e', '0']));
  }
  row('1. cold start, 1 stream vs `node -e 0`: instructions (callgrind)', fnCount, baseCount, { target: 1.1, unit: 'M', brief: 'cold start, instructions vs `node -e 0`' });
}

// 2. Throughput and memory against the two floors, at 1,000 and 10,000 streams: the first render of a package
// (its streams not yet marked as local configuration) and a render of the rendered package (streams marked,
// generated files present), as users run it again and again.
function throughput() {
  const cpuBySize = new Map();
  const rssBySize = new Map();
  const kpt = spawnSync('kpt', ['version']).status === 0;
  for (const streams of [1000, 10000]) {
    const label = streams.toLocaleString('en');
    log(`2. throughput, ${label} streams, first render`);
    const input = join(work, `rl-${streams}.yaml`);
    writeChunks(input, resourceListChunks(streams));
    const first = againstFloors(input, `${label} streams + ${label} foreign items, first render`, streams, `${label} streams, first render`);
    cpuBySize.set(streams, first.cpu);
    rssBySize.set(streams, first.rss);
    if (!kpt) continue;
    if (quick && streams > 1000) continue;
    log(`2. throughput, ${label} streams, rendered again`);
    const again = againstFloors(
      renderedPackageInput(streams),
      `${label} streams + ${label} foreign items + their generated resources, rendered again`,
      streams,
      `${label} streams, rendered again`,
    );
    rmSync(again.input);
  }
  if (!kpt) notes.push('kpt is not installed: the rows of a package rendered again (whose input is what kpt sends after a first render) were not measured.');
  else if (quick) notes.push('The 10,000-stream package rendered again was skipped (--quick): making its input through kpt takes over a minute.');
  const marginal = (cpuBySize.get(10000) - cpuBySize.get(1000)) / 9000;
  single('2. marginal CPU per stream (+1 foreign item), first render, 1,000 → 10,000 streams', `${(marginal * 1000).toFixed(0)} µs`);
  return { cpuBySize, rssBySize };
}

/** The function against both floors on `input`: CPU rows for each, a peak RSS row; its median CPU and RSS. */
function againstFloors(input, label, streams, brief) {
  const output = join(work, 'out.yaml');
  measure([process.execPath, cli], input, { output });
  const outputJson = join(work, 'out.json');
  writeFileSync(outputJson, JSON.stringify(yaml.load(readFileSync(output, 'utf8'))));
  rmSync(output);
  const fn = [];
  const same = [];
  const fair = [];
  const runs = quick ? 3 : streams >= 10000 ? 5 : 7;
  for (let i = 0; i < runs; i++) {
    fn.push(measure([process.execPath, cli], input));
    same.push(measure([process.execPath, floor, 'same-input'], input));
    const fairRun = measure([process.execPath, floor, 'fair', outputJson], input);
    // The fair floor reads the function's output from JSON; that parse is not part of the floor.
    fair.push({ ...fairRun, cpu: fairRun.cpu - Number(/json-cpu-ms ([0-9.]+)/.exec(fairRun.stderr)[1]) });
  }
  rmSync(outputJson);
  const cpu = (runs) => runs.map((r) => r.cpu);
  const wall = (runs) => runs.map((r) => r.wall);
  row(`2. ${label} vs fair floor (load input, dump the function's output): CPU`, cpu(fn), cpu(fair), {
    target: 1.1,
    wallFn: wall(fn),
    wallBase: wall(fair),
    brief: `${brief}, CPU vs fair floor`,
  });
  row(`2. ${label} vs same-input floor (load and dump the input): CPU`, cpu(fn), cpu(same), {
    target: 1.5,
    wallFn: wall(fn),
    wallBase: wall(same),
    brief: `${brief}, CPU vs same-input floor`,
  });
  row(
    `2. ${label}: peak RSS vs same-input floor`,
    fn.map((r) => r.rss),
    same.map((r) => r.rss),
    { target: streams === 10000 ? 2 : undefined, unit: 'MiB', ...(streams === 10000 ? { brief: `${brief}, peak RSS vs same-input floor` } : {}) },
  );
  return { cpu: median(cpu(fn)), rss: median(fn.map((r) => r.rss)), input };
}

/**
 * What kpt sends the function when the package of `streams` streams is rendered again: the package is
 * rendered once through kpt (streams marked, generated files written), then captured as kpt sends it.
 */
function renderedPackageInput(streams) {
  const pkg = join(work, `rendered-${streams}`);
  writePackage(pkg, streams);
  const render = spawnSync('kpt', ['fn', 'eval', pkg, '--exec', cli], { maxBuffer: 1 << 26 });
  if (render.status !== 0) throw new Error(`kpt fn eval --exec ${cli}: ${render.stderr.toString().slice(-500)}`);
  const captured = join(work, `again-${streams}.yaml`);
  const tee = join(work, 'tee-again.sh');
  writeFileSync(tee, `#!/bin/sh\ntee '${captured}'\n`, { mode: 0o755 });
  const capture = spawnSync('kpt', ['fn', 'eval', pkg, '--exec', tee], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (capture.status !== 0) throw new Error(`kpt fn eval --exec tee: ${capture.stderr.toString().slice(-500)}`);
  rmSync(pkg, { recursive: true, force: true });
  return captured;
}

// 3. No ceiling: 200,000 streams in both modes.
function noCeiling({ cpuBySize, rssBySize }) {
  if (quick) {
    notes.push('The 200,000-stream runs were skipped (--quick).');
    return;
  }
  const streams = 200000;
  log('3. 200,000 streams');
  const input = join(work, 'rl-200000.yaml');
  writeChunks(input, resourceListChunks(streams));
  const inputMiB = statSync(input).size / 2 ** 20;
  const run = measure([process.execPath, cli], input);
  rmSync(input);
  const perStream10k = rssBySize.get(10000) / 10000;
  single(
    `3. 200,000 streams + 200,000 foreign items (ResourceList, ${inputMiB.toFixed(0)} MiB in): exit 0, CPU, peak RSS`,
    `${(run.cpu / 1000).toFixed(1)} s, ${run.rss.toFixed(0)} MiB`,
  );
  const ratio = run.rss / streams / perStream10k;
  single('3. peak RSS per stream at 200,000 vs at 10,000', `${((run.rss / streams) * 1024).toFixed(1)} KiB`, {
    brief: '200,000 streams: completes; peak RSS per stream vs at 10,000',
    base: `${(perStream10k * 1024).toFixed(1)} KiB`,
    ratio: ratio.toFixed(2),
    target: '≤ 1',
    met: ratio <= 1 ? 'yes' : 'NO',
  });
  const marginal = (run.cpu - cpuBySize.get(10000)) / (streams - 10000);
  single('3. marginal CPU per stream, 10,000 → 200,000 streams', `${(marginal * 1000).toFixed(0)} µs`);
  const legacyInput = join(work, 'legacy-200000.yaml');
  writeChunks(legacyInput, legacyChunks(streams));
  const legacy = measure([process.execPath, cli, join(root, 'examples', 'kustomize', 'expansion-config.yaml')], legacyInput);
  rmSync(legacyInput);
  single('3. 200,000 streams + 200,000 foreign items (legacy plugin mode): exit 0, CPU, peak RSS', `${(legacy.cpu / 1000).toFixed(1)} s, ${legacy.rss.toFixed(0)} MiB`);
}

// 4. kpt end to end, each run on a fresh copy of the package.
function kptEndToEnd() {
  if (spawnSync('kpt', ['version']).status !== 0) {
    notes.push('kpt is not installed: the kpt rows were not measured.');
    return;
  }
  log('4. kpt end to end');
  checkKptShape();
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
  row('4. kpt fn eval --exec, 1,000 streams vs `--exec cat`: wall', fn, base);
}

/** The benchmark's ResourceList must be what kpt really sends for the same package, byte for byte. */
function checkKptShape() {
  const pkg = join(work, 'shape');
  writePackage(pkg, 250);
  const captured = join(work, 'captured.yaml');
  const tee = join(work, 'tee.sh');
  writeFileSync(tee, `#!/bin/sh\ntee '${captured}'\n`, { mode: 0o755 });
  const run = spawnSync('kpt', ['fn', 'eval', pkg, '--exec', tee]);
  if (run.status !== 0) throw new Error(`kpt fn eval --exec tee: ${run.stderr.toString().slice(-500)}`);
  if (readFileSync(captured, 'utf8') !== resourceList(250)) throw new Error('bench/generate.mjs no longer writes what kpt sends: fix it before measuring');
  notes.push('The inputs are checked byte for byte against what the installed kpt sends for the same package.');
}

// 5. Crossplane RunFunction.
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
  const call = (client, request) => new Promise((resolve, reject) => client.runFunction(request, (error, response) => (error ? reject(error) : resolve(response))));

  const fnServer = await start([cli, 'serve', '--insecure', '--address', '127.0.0.1:0']);
  const noopServer = await start([join(root, 'bench', 'noop-server.mjs')]);
  const decoding = new Client(`127.0.0.1:${fnServer.port}`, credentials.createInsecure());
  const phase1 = phase2Request({});
  phase1.observed.resources = {};
  phase1.meta.tag = 'bench-phase-1';
  const workspace = (await call(decoding, RunFunctionRequest.fromJSON(phase1))).desired.resources.workspace.resource;

  // 4,096 requests whose specs differ (which event types, in which order) and whose tags all differ, so that
  // no response cache can answer one: the pool is cycled, and a tag comes back only after 4,095 others.
  const requests = Array.from({ length: 4096 }, (_, variant) => {
    const request = phase2Request(workspace, variant + 1);
    request.meta.tag = `bench-${variant + 1}-${Math.random().toString(36).slice(2)}`;
    return request;
  });
  const pool = requests.map((request) => Buffer.from(RunFunctionRequest.encode(RunFunctionRequest.fromJSON(request)).finish()));
  // The echo server answers each request with the function's own answer to a request of that spec, so that
  // it encodes exactly as much as the function does, request by request.
  const answers = {};
  for (const request of [phase2Request(workspace, 0), ...requests]) {
    const key = request.observed.composite.resource.spec.subscriptions.join(',');
    if (key in answers) continue;
    const response = await call(decoding, RunFunctionRequest.fromJSON({ ...request, meta: { ...request.meta, tag: `answer-${key}` } }));
    if ((response.results ?? []).some((result) => result.severity === 1)) throw new Error('a phase-2 request is refused; fix bench/generate.mjs');
    answers[key] = RunFunctionResponse.toJSON(response);
  }
  decoding.close();
  const answersFile = join(work, 'answers.json');
  writeFileSync(answersFile, JSON.stringify(answers));
  const echoServer = await start([join(root, 'bench', 'echo-server.mjs'), answersFile]);
  let nextInPool = 0;
  const same = Buffer.from(RunFunctionRequest.encode(RunFunctionRequest.fromJSON(phase2Request(workspace, 0))).finish());
  // The transport floor of a cached answer: the function's own bytes for `same`, sent back without decoding.
  const callOnce = async (server, request) => {
    const client = new RawClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    const answer = await call(client, request);
    client.close();
    return answer;
  };
  const sameAnswerFile = join(work, 'same-answer.bin');
  const sameAnswer = await callOnce(fnServer, same);
  writeFileSync(sameAnswerFile, sameAnswer);
  const replayServer = await start([join(root, 'bench', 'replay-server.mjs'), sameAnswerFile]);
  if (!(await callOnce(replayServer, same)).equals(sameAnswer)) throw new Error('bench/replay-server.mjs does not send the function’s answer back as it is');
  const cpuOf = (pid) => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  };
  const drive = async (server, concurrency, total, unique) => {
    const client = new RawClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    const latencies = [];
    let sent = 0;
    const cpuBefore = cpuOf(server.child.pid);
    const started = process.hrtime.bigint();
    const worker = async () => {
      while (sent < total) {
        const request = unique ? pool[nextInPool++ % pool.length] : same;
        sent++;
        const t = process.hrtime.bigint();
        await call(client, request);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuMs = cpuOf(server.child.pid) - cpuBefore;
    client.close();
    latencies.sort((a, b) => a - b);
    return { rps: total / seconds, cpuPerCall: cpuMs / total, p50: latencies[Math.floor(latencies.length * 0.5)], p99: latencies[Math.floor(latencies.length * 0.99)] };
  };

  // Every server runs both kinds of calls first, so that no row measures a server still compiling its code.
  for (const server of [fnServer, noopServer, echoServer, replayServer]) {
    await drive(server, 8, quick ? 500 : 2000, true);
    await drive(server, 8, quick ? 500 : 2000, false);
  }
  const compare = async (label, baseline, baseLabel, unique, target, brief) => {
    for (const concurrency of [1, 32]) {
      // Rounds at concurrency 1 are longer and more: one call at a time feels every pause of a shared machine.
      const total = concurrency === 1 ? (quick ? 200 : 1500) : quick ? 1000 : 4000;
      const rounds = concurrency === 1 && !quick ? 8 : 4;
      // Warmed at this concurrency with this kind of call, the load generator as much as the servers, then
      // measured in rounds that alternate which server goes first (ABBA), so that neither gains from coming
      // after the other. The warm-up is at least 2,000 calls of the row's kind: V8 optimizes the functions that
      // run once per expansion only after some 3,000 uncached calls (`--trace-opt`), more than the first warm-up
      // gives, and rows of cached calls never run them.
      const warm = Math.max(total / 4, 2000);
      await drive(fnServer, concurrency, warm, unique);
      await drive(baseline, concurrency, warm, unique);
      const fn = [];
      const base = [];
      for (let round = 0; round < rounds; round++) {
        const fnFirst = round % 4 === 0 || round % 4 === 3;
        if (!fnFirst) base.push(await drive(baseline, concurrency, total, unique));
        fn.push(await drive(fnServer, concurrency, total, unique));
        if (fnFirst) base.push(await drive(baseline, concurrency, total, unique));
      }
      const name = `5. ${label}, concurrency ${concurrency}`;
      row(
        `${name}: req/s vs ${baseLabel}`,
        fn.map((r) => r.rps),
        base.map((r) => r.rps),
        { target, unit: 'req/s', better: 'higher', ...(brief === undefined ? {} : { brief: `${brief}, concurrency ${concurrency}: req/s` }) },
      );
      row(
        `${name}: server CPU per call vs ${baseLabel}`,
        fn.map((r) => r.cpuPerCall),
        base.map((r) => r.cpuPerCall),
        { unit: 'ms/call', ...(brief === undefined ? {} : { brief: `${brief}, concurrency ${concurrency}: server CPU per call` }) },
      );
      row(
        `${name}: p99 latency vs ${baseLabel}`,
        fn.map((r) => r.p99),
        base.map((r) => r.p99),
        {},
      );
    }
  };
  await compare(
    'an unchanged XR (same tag: cached)',
    replayServer,
    'the transport floor (the same answer bytes, sent back undecoded)',
    false,
    0.8,
    'Crossplane, unchanged XR (cached) vs the transport floor',
  );
  // The no-op answers with a few bytes: an answer of the size the function sends costs more to send and to
  // receive, and at concurrency 32 the load generator, on the same two cores, feels that.
  await compare('an unchanged XR (same tag: cached)', noopServer, 'no-op', false, undefined);
  await compare('an unchanged XR (same tag: cached)', echoServer, 'echo of an equally large response', false, undefined);
  await compare(
    'XRs whose spec changes (no cache)',
    echoServer,
    'echo of an equally large response',
    true,
    0.8,
    'Crossplane, XRs whose spec changes vs an echo of the same answers',
  );
  await compare('XRs whose spec changes (no cache)', noopServer, 'no-op', true, undefined);
  for (const server of [fnServer, noopServer, echoServer, replayServer]) server.child.kill('SIGTERM');
}

const started = Date.now();
coldStart();
const sizes = throughput();
noCeiling(sizes);
kptEndToEnd();
await crossplane();
rmSync(work, { recursive: true, force: true });

const seconds = Math.round((Date.now() - started) / 1000);
const header = `Measured by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node.js ${process.version}, in ${seconds} s.`;
const table = [
  '| case | function | baseline | ratio | wall ratio | target | met | spread of ratios |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.name} | ${r.fn} | ${r.base} | ${r.ratio} | ${r.wall} | ${r.target} | ${r.met} | ${r.spread} |`),
].join('\n');
const text = `${header}\n\n${table}\n${notes.length > 0 ? `\n${notes.map((note) => `- ${note}`).join('\n')}\n` : ''}`;
process.stdout.write(`\n${text}`);
if (write) {
  writeFileSync(join(root, 'bench', 'RESULTS.md'), text);
  writeReadmeSummary(header);
} else {
  log('\n(bench/RESULTS.md and README.md not written; pass --write to record these numbers)');
}

/** README.md's performance table: the rows with a target (and the CPU per gRPC call), between its markers. */
function writeReadmeSummary(measured) {
  const readme = join(root, 'README.md');
  const start = '<!-- generated:performance -->';
  const end = '<!-- /generated:performance -->';
  const current = readFileSync(readme, 'utf8');
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section to write the performance table into`);
  const table = [
    `${measured} CPU time is user + system; details, wall time and every row: [docs/performance.md](docs/performance.md).`,
    '',
    '| what | ratio | target | met |',
    '| --- | --- | --- | --- |',
    ...summary.map((entry) => `| ${entry.name} | ${entry.value} | ${entry.target === 'report' ? '' : entry.target} | ${entry.met === '—' ? '' : entry.met} |`),
  ].join('\n');
  writeFileSync(readme, `${current.slice(0, from + start.length)}\n${table}\n${current.slice(to)}`);
}

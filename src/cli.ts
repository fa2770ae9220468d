/**
 * The KRM command line: picks the mode from the arguments. KRM modes print only the ResourceList (or
 * resources) on stdout; everything else goes to stderr. `serve` never reaches this file: src/bin.cts sends it
 * to the gRPC server bundle.
 */
import { fstatSync, readFileSync, readSync, writeSync } from 'node:fs';
import type * as V8 from 'node:v8';
import { configReference } from './krm/config-reference.js';
import { MAX_INPUT_BYTES, runLegacyPluginStreaming, runResourceListStreaming } from './krm/run.js';
import type { StreamedRunOutput } from './krm/run.js';
import { InputError } from './krm/yaml.js';

/**
 * This file is only ever run bundled as CommonJS (scripts/build.mjs), where `require` loads a module when it
 * is first needed; node:v8 costs 2 ms of start-up otherwise.
 */
declare const require: (id: string) => unknown;

/** Replaced with the package.json version by scripts/build.mjs. */
declare const __AUTH0_EVENTSTREAM_FN_VERSION__: string;

const NAME = 'auth0-eventstream-fn';
const EXIT_USAGE = 2;
/** What a shell reports for a process ended by SIGPIPE; Node.js ignores the signal, so it is set by hand. */
const EXIT_STDOUT_CLOSED = 141;
/** stdout is written in pieces of about this size, straight to the file descriptor. */
const WRITE_CHUNK = 1 << 20;

/** stdout was closed by its reader (`… | head`): nothing more can be written, and nothing is wrong with the input. */
class StdoutClosed extends Error {}

type Mode =
  | { readonly kind: 'resource-list' }
  | { readonly kind: 'legacy-plugin'; readonly configFile: string }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage-error'; readonly message: string };

function modeOf(args: readonly string[]): Mode {
  const [first] = args;
  if (first === undefined) return { kind: 'resource-list' };
  if (first === '--help' || first === '-h') return { kind: 'help' };
  if (first === '--version') return { kind: 'version' };
  if (first.startsWith('-')) return { kind: 'usage-error', message: `unknown option ${first}` };
  // kustomize appends the plugin's argsOneLiner/argsFromFile arguments; this function takes none and ignores them.
  return { kind: 'legacy-plugin', configFile: first };
}

async function main(args: readonly string[]): Promise<number> {
  const mode = modeOf(args);
  switch (mode.kind) {
    case 'help':
      writeAll(1, `${usage()}\n\nFUNCTION CONFIG\n${configReference()}\n`);
      return 0;
    case 'version':
      writeAll(1, `${version()}\n`);
      return 0;
    case 'usage-error':
      process.stderr.write(`${NAME}: ${mode.message}\n\n${usage()}\n`);
      return EXIT_USAGE;
    case 'resource-list':
      if (stdinIsTerminal()) process.stderr.write(`${NAME}: reading a ResourceList from stdin (see --help)\n`);
      return report(runResourceListStreaming(stdinReader()));
    case 'legacy-plugin': {
      const config = readPluginConfig(mode.configFile);
      if ('unreadable' in config) {
        process.stderr.write(
          `error: cannot read the plugin config file ${mode.configFile} (${config.unreadable}) and KUSTOMIZE_PLUGIN_CONFIG_STRING is not set; ` +
            `run ${NAME} as a kustomize exec plugin, or without arguments with a ResourceList on stdin\n`,
        );
        return 1;
      }
      return report(runLegacyPluginStreaming(config.text, stdinReader()));
    }
  }
}

/**
 * Writes stdout in pieces of WRITE_CHUNK bytes, encoding each piece of output straight into one reused
 * buffer (no joined string, no buffer per write), then the result lines. A closed stdout stops only stdout.
 */
function report(output: StreamedRunOutput): number {
  let closed = false;
  try {
    const buffer = Buffer.allocUnsafe(WRITE_CHUNK);
    let used = 0;
    for (const piece of output.stdout) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      if (used + piece.length * 3 > WRITE_CHUNK) {
        writeBytes(1, buffer.subarray(0, used));
        used = 0;
      }
      if (piece.length * 3 > WRITE_CHUNK) writeAll(1, piece);
      else used += buffer.write(piece, used);
    }
    writeBytes(1, buffer.subarray(0, used));
  } catch (error) {
    if (!(error instanceof StdoutClosed)) throw error;
    closed = true;
  }
  if (output.stderr.length > 0) writeAll(2, `${output.stderr.join('\n')}\n`);
  return closed ? EXIT_STDOUT_CLOSED : output.exitCode;
}

/** Whether anything reached stdout: an internal error must still leave kpt a ResourceList when nothing did. */
let wroteStdout = false;

/**
 * Writes straight to the file descriptor: creating process.stdout costs start-up time, and this must finish
 * before the exit code is set. A non-blocking pipe (EAGAIN) is waited on, never skipped. A closed stdout
 * (EPIPE) ends the run: see StdoutClosed.
 */
function writeAll(fd: number, text: string): void {
  writeBytes(fd, Buffer.from(text, 'utf8'));
}

function writeBytes(fd: number, bytes: Uint8Array): void {
  if (fd === 1) wroteStdout = true;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') throw new StdoutClosed();
      if (code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
}

/**
 * Whether stdin is a terminal, without touching process.stdin: creating it loads node:net and the stream
 * modules (~5 ms of a ~100 ms start), and so does node:tty. Only a character device can be a terminal, so
 * pipes and files (how kpt and kustomize call) are answered by one fstat.
 */
function stdinIsTerminal(): boolean {
  try {
    if (!fstatSync(0).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.stdin.isTTY === true;
}

/**
 * The file kustomize names first (its bytes, which the plugin mode decodes as strictly as stdin); its copy in
 * the environment when the file cannot be read.
 */
function readPluginConfig(path: string): { readonly text: string | Uint8Array } | { readonly unreadable: string } {
  try {
    return { text: readFileSync(path) };
  } catch (error) {
    const fromEnvironment = process.env['KUSTOMIZE_PLUGIN_CONFIG_STRING'];
    if (fromEnvironment !== undefined) return { text: fromEnvironment };
    const code = (error as NodeJS.ErrnoException).code;
    return { unreadable: code === 'EISDIR' ? 'it is a directory' : code === 'ENOENT' ? 'it does not exist' : (code ?? 'unreadable') };
  }
}

/** Parsing takes about this many bytes of heap per byte of input (measured: 8 to 10 for kpt packages). */
const HEAP_PER_INPUT_BYTE = 10;
/** Below this, no input comes near any heap limit, and node:v8 (2 ms to load) is not asked. */
const SMALL_INPUT = 32 << 20;
/** Inputs from this size (some 150 streams) are processed with the V8 flags of ONE_PASS_V8_FLAGS. */
const ONE_PASS_INPUT = 256 << 10;
/**
 * A render is one pass over its input, so V8's optimizing compiler (on worker threads, but CPU time all the
 * same) should spend less than its defaults assume:
 * - the interrupt budget: about three times its default (67,584 bytes of bytecode run), so that only
 *   functions that are really hot are optimized;
 * - the cumulative inlining budget: about a third of its default (920 bytes of bytecode), so that the large
 *   functions of the per-stream path are not compiled again inside each of their callers. Interleaved A-B
 *   runs measured 3–9 % less CPU at 1,000 to 50,000 streams, and no change on a package rendered again;
 * - no loop peeling, which compiles the first pass of every loop of an optimized function a second time:
 *   in interleaved runs 1.5–3.7 % less CPU at 10,000 streams (four series), 3.5 % at 1,000 and 5 % at 50,000,
 *   and 1.3 % fewer instructions at 2,000 streams with V8 single-threaded; no change in wall time, on a
 *   package rendered again or at 200,000 streams.
 * An unknown flag would only be reported on stderr: test/cli-io.test.ts runs an input above ONE_PASS_INPUT and
 * expects stderr to stay empty.
 */
const ONE_PASS_V8_FLAGS = ['--interrupt-budget=200000', '--max-inlined-bytecode-size-cumulative=300', '--no-turbo-loop-peeling'];

/**
 * Reads stdin now and hands the bytes over once (so that they can be let go of as soon as they are decoded).
 * Input the heap could not hold once parsed is refused with a clear error rather than left to crash the
 * process half-way; reading errors are reported the same way, as input errors.
 */
function stdinReader(): () => Uint8Array {
  let bytes: Uint8Array | undefined;
  let failure: unknown;
  try {
    bytes = readStdin();
    if (bytes.length > ONE_PASS_INPUT) {
      // Set only now: node:v8 costs start-up time, and changing V8's flags before the bundle is compiled would
      // make V8 reject its code cache.
      const v8 = require('node:v8') as typeof V8;
      for (const flag of ONE_PASS_V8_FLAGS) v8.setFlagsFromString(flag);
    }
    if (bytes.length > SMALL_INPUT) {
      const limit = (require('node:v8') as typeof V8).getHeapStatistics().heap_size_limit;
      if (bytes.length * HEAP_PER_INPUT_BYTE > limit) {
        throw new InputError(
          `input is ${Math.round(bytes.length / 2 ** 20)} MiB, more than this process can hold once parsed ` +
            `(about ${HEAP_PER_INPUT_BYTE}× the input, and its heap is limited to ${Math.round(limit / 2 ** 20)} MiB); ` +
            `give it more with NODE_OPTIONS=--max-old-space-size=${Math.ceil((bytes.length * HEAP_PER_INPUT_BYTE * 1.2) / 2 ** 20)}, ` +
            'or run the function on parts of the package',
        );
      }
    }
  } catch (error) {
    failure = error;
    bytes = undefined;
  }
  return () => {
    if (bytes === undefined) throw failure;
    const taken = bytes;
    bytes = undefined;
    return taken;
  };
}

/**
 * All of stdin, read synchronously (no stream set-up on the start-up path). A non-blocking pipe answers EAGAIN
 * while the writer is behind: wait and read on, so nothing already read is ever dropped. Input beyond what
 * one run can hold is read to the end (so the writer is not cut off) but not kept, and refused.
 */
function readStdin(): Uint8Array {
  const chunks: Buffer[] = [];
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let read: number;
    try {
      read = readSync(0, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      if (code === 'EOF') break;
      throw new InputError(unreadableStdin(code));
    }
    if (read === 0) break;
    total += read;
    if (total <= MAX_INPUT_BYTES) chunks.push(chunk.subarray(0, read));
  }
  if (total > MAX_INPUT_BYTES) {
    throw new InputError(
      `input is ${Math.round(total / 2 ** 20)} MiB, more than the ${Math.floor(MAX_INPUT_BYTES / 2 ** 20)} MiB one run can read; ` +
        'run the function on parts of the package (kpt fn eval --match-kind/--match-name, or several kustomizations)',
    );
  }
  return Buffer.concat(chunks);
}

function unreadableStdin(code: string | undefined): string {
  if (code === 'EISDIR') return `stdin is a directory; pipe a ResourceList into ${NAME} (kpt fn source DIR | ${NAME}), or let kpt run it`;
  return `cannot read stdin (${code ?? 'unknown error'}); pipe a ResourceList into ${NAME}, or let kpt run it`;
}

function version(): string {
  return typeof __AUTH0_EVENTSTREAM_FN_VERSION__ === 'string' ? __AUTH0_EVENTSTREAM_FN_VERSION__ : 'dev';
}

function usage(): string {
  return `${NAME} ${version()}: expands Auth0EventStream (auth0.openmcf.org/v1) resources into provider-terraform
and provider-aws resources, as a KRM function (kpt, kustomize) or a Crossplane composition function.

USAGE
  ${NAME}
      KRM function: reads a ResourceList on stdin and writes one on stdout.
        kpt fn eval DIR --exec ${NAME} [--fn-config FILE | -- key=value ...]
        Kptfile pipeline.mutators: [{exec: ${NAME}, configPath: FILE}], then kpt fn render --allow-exec
  ${NAME} CONFIG_FILE [ARGS...]
      kustomize legacy exec plugin: the config from CONFIG_FILE (or KUSTOMIZE_PLUGIN_CONFIG_STRING), resources
      as multi-document YAML on stdin and stdout. Install an executable that runs \`${NAME} "$@"\` as
        $KUSTOMIZE_PLUGIN_HOME/fn.auth0.openmcf.org/v1alpha1/expansionconfig/ExpansionConfig
      and run kubectl kustomize --enable-alpha-plugins.
  ${NAME} serve [FLAGS]
      Crossplane composition function gRPC server (${NAME} serve --help lists the flags).
  ${NAME} import | status | test | redeliver [FLAGS]
      Read an Auth0 tenant's event streams through the Management API: import them as manifests that adopt
      them, check whether a package's streams deliver, send a test event, redeliver failed events
      (${NAME} COMMAND --help for each).
  ${NAME} --help | --version

EXIT STATUS
  0 success (warnings and infos allowed), 1 an error result (the output is still printed), 2 bad usage,
  141 stdout was closed before all of the output was written (as \`… | head\`; nothing is printed about it).
  Results are in the ResourceList and also printed to stderr, one line each.`;
}

void main(process.argv.slice(2))
  .catch((error: unknown) => {
    if (error instanceof StdoutClosed) return EXIT_STDOUT_CLOSED;
    const message = error instanceof Error ? error.message : String(error);
    try {
      // Never leave kpt an empty stdout: it would delete the package (an empty ResourceList with an error does not).
      if (!wroteStdout && modeOf(process.argv.slice(2)).kind === 'resource-list') {
        writeAll(
          1,
          `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nresults:\n  - message: ${JSON.stringify(`internal error: ${message}`)}\n    severity: error\n`,
        );
      }
    } catch {
      // stdout is gone too; stderr still says what happened.
    }
    writeAll(2, `error: internal error: ${message} (please report it)\n${error instanceof Error && error.stack ? `${error.stack}\n` : ''}`);
    return 1;
  })
  .then((code) => {
    process.exitCode = code;
  });

/**
 * Entry point: picks the mode from the arguments. KRM modes print only the ResourceList (or resources) on
 * stdout; everything else goes to stderr. The gRPC server is loaded only for `serve`.
 */
import { readFileSync } from 'node:fs';
import { configReference } from './krm/config-reference.js';
import { runLegacyPlugin, runResourceList } from './krm/run.js';
import type { RunOutput } from './krm/run.js';

/** Replaced with the package.json version by scripts/build.mjs. */
declare const __AUTH0_EVENTSTREAM_FN_VERSION__: string;

const NAME = 'auth0-eventstream-fn';
const EXIT_USAGE = 2;

type Mode =
  | { readonly kind: 'resource-list' }
  | { readonly kind: 'legacy-plugin'; readonly configFile: string }
  | { readonly kind: 'serve'; readonly args: readonly string[] }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'usage-error'; readonly message: string };

function modeOf(args: readonly string[]): Mode {
  const [first] = args;
  if (first === undefined) return { kind: 'resource-list' };
  if (first === '--help' || first === '-h') return { kind: 'help' };
  if (first === '--version') return { kind: 'version' };
  if (first === 'serve') return { kind: 'serve', args: args.slice(1) };
  if (first.startsWith('-')) return { kind: 'usage-error', message: `unknown option ${first}` };
  // kustomize appends the plugin's argsOneLiner/argsFromFile arguments; this function takes none and ignores them.
  return { kind: 'legacy-plugin', configFile: first };
}

async function main(args: readonly string[]): Promise<number> {
  const mode = modeOf(args);
  switch (mode.kind) {
    case 'help':
      process.stdout.write(`${usage()}\n\nFUNCTION CONFIG\n${configReference()}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case 'usage-error':
      process.stderr.write(`${NAME}: ${mode.message}\n\n${usage()}\n`);
      return EXIT_USAGE;
    case 'serve': {
      const { serveMain } = await import('./crossplane/serve.js');
      await serveMain([...mode.args]);
      // The server may have set its own exit status on shutdown.
      return Number(process.exitCode ?? 0);
    }
    case 'resource-list':
      if (process.stdin.isTTY) process.stderr.write(`${NAME}: reading a ResourceList from stdin (see --help)\n`);
      return report(runResourceList(await readStdin()));
    case 'legacy-plugin': {
      const config = readPluginConfig(mode.configFile);
      if (config === undefined) {
        process.stderr.write(
          `error: cannot read the plugin config file ${mode.configFile} and KUSTOMIZE_PLUGIN_CONFIG_STRING is not set; ` +
            `run ${NAME} as a kustomize exec plugin, or without arguments with a ResourceList on stdin\n`,
        );
        return 1;
      }
      return report(runLegacyPlugin(config, await readStdin()));
    }
  }
}

function report(output: RunOutput): number {
  process.stdout.write(output.stdout);
  for (const line of output.stderr) process.stderr.write(`${line}\n`);
  return output.exitCode;
}

/** The file kustomize names first; its copy in the environment when the file is gone. */
function readPluginConfig(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return process.env['KUSTOMIZE_PLUGIN_CONFIG_STRING'];
  }
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
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
  ${NAME} --help | --version

EXIT STATUS
  0 success (warnings and infos allowed), 1 an error result (the output is still printed), 2 bad usage.
  Results are in the ResourceList and also printed to stderr, one line each.`;
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`error: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
});

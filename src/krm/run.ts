/**
 * The two KRM entry modes as functions from input bytes to what to print and the exit code:
 * - `runResourceList`: a ResourceList on stdin (kpt, kustomize KRM functions);
 * - `runLegacyPlugin`: kustomize's legacy exec plugin (config file argument, multi-document YAML on stdin).
 * The `…Streaming` forms give stdout as pieces, produced while they are written, so that no output is ever
 * held whole; the plain forms join them (tests, small inputs).
 */
import type { KubeObject } from '../core/index.js';
import { isRecord } from '../core/index.js';
import { documentPiece, directivesBefore, listPieces, valuePiece } from './item-text.js';
import type { Piece } from './item-text.js';
import { processResourceList } from './process.js';
import { readResourceList, resourceListChunks, validateItems } from './resource-list.js';
import { adapterResult, formatResult, hasErrors, sortResults } from './results.js';
import type { KrmResult } from './results.js';
import { parseWithSourceMap } from './source-map.js';
import type { SourceMap } from './source-map.js';
import { ItemWriter, itemPieces, selfContained } from './verbatim.js';
import type { Unkeepable } from './verbatim.js';
import { InputError, decodeUtf8, parseYaml, parseYamlDocuments } from './yaml.js';
import type { Listener } from './yaml.js';

export interface RunOutput {
  readonly stdout: string;
  /** One line per result, then details of an internal error if there was one. */
  readonly stderr: readonly string[];
  /** 1 iff any error result; never 0 with an empty stdout in ResourceList mode. */
  readonly exitCode: 0 | 1;
}

export interface StreamedRunOutput extends Omit<RunOutput, 'stdout'> {
  /** stdout in pieces, each produced when asked for. */
  readonly stdout: Iterable<string>;
}

/**
 * The largest input read: V8 cannot hold a longer string (2^29 - 24 UTF-16 units), and UTF-8 never takes
 * fewer bytes than UTF-16 units.
 */
export const MAX_INPUT_BYTES = 2 ** 29 - 24;

/**
 * Reads a ResourceList and writes one back, always: on unusable input with `items: []` and an error result
 * (kpt writes nothing when the exit code is not 0), on an internal error with the input items unchanged.
 */
export function runResourceList(stdin: Uint8Array): RunOutput {
  return joined(runResourceListStreaming(() => stdin));
}

/** `runResourceList` with stdin read by `read` (so that its bytes can be let go once decoded) and stdout in pieces. */
export function runResourceListStreaming(read: () => Uint8Array): StreamedRunOutput {
  let parsed: { readonly value: unknown; readonly source: SourceMap };
  try {
    parsed = parseInput(read, (text, listen) => parseYaml(text, 'input', listen));
  } catch (error) {
    return resourceListReply([], [inputErrorResult(error)], undefined, plainWriter(), internalDetails(error));
  }
  const { value, source } = parsed;
  const writer = resourceListWriter(source, value);
  const reading = readResourceList(value);
  if (!reading.ok) {
    writer.plan(reading.items, reading.items);
    return resourceListReply(reading.items, reading.results, functionConfigOf(reading), writer);
  }
  const { list } = reading;
  const received = functionConfigOf(list);
  try {
    const outcome = processResourceList(list);
    const problems = writer.plan(list.items, outcome.items, outcome.origins);
    if (problems.length > 0) {
      writer.plan(list.items, list.items);
      return resourceListReply(list.items, [...outcome.results, ...problems.map(unkeepableResult)], received, writer);
    }
    return resourceListReply(outcome.items, outcome.results, received, writer);
  } catch (error) {
    writer.plan(list.items, list.items);
    return resourceListReply(list.items, [internalErrorResult(error)], received, writer, internalDetails(error));
  }
}

/**
 * kustomize's legacy exec plugin protocol: the plugin config is the file named by the first argument (or
 * `KUSTOMIZE_PLUGIN_CONFIG_STRING`), stdin holds the resources as multi-document YAML (empty for a
 * generator), and stdout takes the resulting resources the same way — or, on an error, a ResourceList with
 * the results. kustomize ignores results, so they also go to stderr.
 */
export function runLegacyPlugin(config: string | Uint8Array, stdin: Uint8Array): RunOutput {
  return joined(runLegacyPluginStreaming(config, () => stdin));
}

/** `config` is the plugin config's text, or its bytes (decoded as UTF-8 as strictly as stdin). */
export function runLegacyPluginStreaming(config: string | Uint8Array, read: () => Uint8Array): StreamedRunOutput {
  let functionConfig: unknown;
  try {
    functionConfig = parseYaml(typeof config === 'string' ? config : decodeUtf8(config, 'plugin config'), 'plugin config');
  } catch (error) {
    return legacyReply([], [inputErrorResult(error)], plainWriter(), internalDetails(error));
  }
  let parsed: { readonly value: unknown[]; readonly source: SourceMap };
  try {
    parsed = parseInput(read, (text, listen) => parseYamlDocuments(text, 'input', listen, true));
  } catch (error) {
    return legacyReply([], [inputErrorResult(error)], plainWriter(), internalDetails(error));
  }
  const { items, writer } = legacyItems(parsed.source, parsed.value);
  const problems = validateItems(items, 'documents');
  if (problems.length > 0) {
    writer.plan(items, items);
    return legacyReply(items, problems, writer);
  }
  const list = { items: items as KubeObject[], functionConfig };
  try {
    const outcome = processResourceList(list);
    const unkeepable = writer.plan(items, outcome.items, outcome.origins);
    if (unkeepable.length > 0) {
      writer.plan(items, items);
      return legacyReply(items, [...outcome.results, ...unkeepable.map(unkeepableResult)], writer);
    }
    return legacyReply(outcome.items, outcome.results, writer);
  } catch (error) {
    writer.plan(items, items);
    return legacyReply(items, [internalErrorResult(error)], writer, internalDetails(error));
  }
}

/** Reads, checks the size, decodes and parses with a source map; the bytes are not kept. */
function parseInput<T>(read: () => Uint8Array, parse: (text: string, listen: () => Listener) => T): { value: T; source: SourceMap } {
  return parseWithSourceMap(withFinalLineBreak(decodeInput(read)), parse);
}

function decodeInput(read: () => Uint8Array): string {
  const bytes = read();
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new InputError(
      `input is ${(bytes.length / 2 ** 20).toFixed(0)} MiB, more than the ${Math.floor(MAX_INPUT_BYTES / 2 ** 20)} MiB one run can read; ` +
        'run the function on parts of the package (kpt fn eval --match-kind/--match-name, or several kustomizations)',
    );
  }
  return decodeUtf8(bytes);
}

/** js-yaml appends a line break to text that lacks one; appending it first keeps positions in step. */
function withFinalLineBreak(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return text === '' || last === 0x0a || last === 0x0d ? text : `${text}\n`;
}

/** A writer for the items and functionConfig of the ResourceList `value` read with `source`. */
function resourceListWriter(source: SourceMap, value: unknown): ItemWriter {
  if (!isRecord(value)) return new ItemWriter(source, new Map());
  const items = value['items'];
  const directives = directivesBefore(source, 0);
  const pieces = Array.isArray(items) ? listPieces(source, items, directives) : undefined;
  const config = value['functionConfig'];
  const configPiece = valuePiece(source, config);
  return new ItemWriter(
    source,
    pieces === undefined ? new Map() : itemPieces(source, items as unknown[], pieces),
    configPiece !== undefined && selfContained(source, configPiece.from, configPiece.to) ? { value: config, piece: configPiece } : undefined,
  );
}

/** The resources among the documents (a List or ResourceList stands for its items) and a writer for them. */
function legacyItems(source: SourceMap, documents: readonly unknown[]): { items: unknown[]; writer: ItemWriter } {
  const items: unknown[] = [];
  const pieces: Array<Piece | undefined> = [];
  documents.forEach((document, index) => {
    if (document === null || document === undefined) return;
    const listed = listedItems(document);
    if (listed === undefined) {
      items.push(document);
      pieces.push(documentPiece(source, index));
      return;
    }
    const listPieceTexts = listPieces(source, listed, directivesBefore(source, index));
    listed.forEach((item, position) => {
      items.push(item);
      pieces.push(listPieceTexts?.[position]);
    });
  });
  return { items, writer: new ItemWriter(source, itemPieces(source, items, pieces)) };
}

function plainWriter(): ItemWriter {
  return new ItemWriter(undefined, new Map());
}

function resourceListReply(
  items: readonly unknown[],
  results: readonly KrmResult[],
  functionConfig: { readonly value: unknown } | undefined,
  writer: ItemWriter,
  details: readonly string[] = [],
): StreamedRunOutput {
  return { stdout: resourceListChunks(items, results, functionConfig, writer), ...diagnostics(results, details) };
}

/** Resources as multi-document YAML; on an error a ResourceList with the results, which kustomize also reads. */
function legacyReply(items: readonly unknown[], results: readonly KrmResult[], writer: ItemWriter, details: readonly string[] = []): StreamedRunOutput {
  const stdout = hasErrors(results) ? resourceListChunks(items, results, undefined, writer) : documentChunks(items, writer);
  return { stdout, ...diagnostics(results, details) };
}

function* documentChunks(items: readonly unknown[], writer: ItemWriter): Generator<string> {
  let first = true;
  for (const item of items) {
    yield writer.document(item, first);
    first = false;
  }
}

function joined(output: StreamedRunOutput): RunOutput {
  return { stdout: [...output.stdout].join(''), stderr: output.stderr, exitCode: output.exitCode };
}

function diagnostics(results: readonly KrmResult[], details: readonly string[]): Omit<RunOutput, 'stdout'> {
  return {
    stderr: [...sortResults(results).map(formatResult), ...details],
    exitCode: hasErrors(results) ? 1 : 0,
  };
}

/** The items of a ResourceList or v1 List document; undefined for any other document. */
function listedItems(document: unknown): unknown[] | undefined {
  if (!isRecord(document) || !Array.isArray(document['items'])) return undefined;
  const { apiVersion, kind } = document;
  const isList = (kind === 'ResourceList' && typeof apiVersion === 'string' && apiVersion.startsWith('config.kubernetes.io/')) || (kind === 'List' && apiVersion === 'v1');
  return isList ? document['items'] : undefined;
}

function functionConfigOf(source: { readonly functionConfig?: unknown }): { readonly value: unknown } | undefined {
  return 'functionConfig' in source ? { value: source.functionConfig } : undefined;
}

function unkeepableResult(problem: Unkeepable): KrmResult {
  return adapterResult('unkeepable-value', 'error', problem.message, problem.item, problem.path === undefined ? undefined : { path: problem.path });
}

function inputErrorResult(error: unknown): KrmResult {
  return error instanceof InputError ? adapterResult('invalid-input', 'error', error.message) : internalErrorResult(error);
}

function internalErrorResult(error: unknown): KrmResult {
  const message = error instanceof Error ? error.message : String(error);
  return adapterResult('internal-error', 'error', `internal error: ${message} (please report this bug)`);
}

/** The stack of an unexpected error, for the bug report; user input errors need none. */
function internalDetails(error: unknown): string[] {
  if (error instanceof InputError || !(error instanceof Error) || error.stack === undefined) return [];
  return error.stack.split('\n');
}

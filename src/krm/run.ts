/**
 * The two KRM entry modes as pure functions from input bytes to what to print and the exit code:
 * - `runResourceList`: a ResourceList on stdin (kpt, kustomize KRM functions);
 * - `runLegacyPlugin`: kustomize's legacy exec plugin (config file argument, multi-document YAML on stdin).
 */
import type { KubeObject } from '../core/index.js';
import { isRecord } from '../core/index.js';
import { processResourceList } from './process.js';
import { readResourceList, validateItems, writeResourceList } from './resource-list.js';
import { adapterResult, formatResult, hasErrors, sortResults } from './results.js';
import type { KrmResult } from './results.js';
import { verbatimTexts } from './verbatim.js';
import type { VerbatimTexts } from './verbatim.js';
import { InputError, decodeUtf8, parseYaml, parseYamlDocuments, stringifyYamlDocuments } from './yaml.js';

export interface RunOutput {
  readonly stdout: string;
  /** One line per result, then details of an internal error if there was one. */
  readonly stderr: readonly string[];
  /** 1 iff any error result; never 0 with an empty stdout in ResourceList mode. */
  readonly exitCode: 0 | 1;
}

/**
 * Reads a ResourceList and writes one back, always: on unusable input with `items: []` and an error result
 * (kpt writes nothing when the exit code is not 0), on an internal error with the input items unchanged.
 */
export function runResourceList(stdin: Uint8Array): RunOutput {
  let text: string;
  let input: unknown;
  try {
    text = decodeUtf8(stdin);
    input = parseYaml(text);
  } catch (error) {
    return resourceListReply([], [inputErrorResult(error)], undefined, internalDetails(error));
  }
  const reading = readResourceList(input);
  if (!reading.ok) {
    return resourceListReply(reading.items, reading.results, functionConfigOf(reading));
  }
  const { list } = reading;
  const received = functionConfigOf(list);
  try {
    const outcome = processResourceList(list);
    // Only items that come out as the very objects that went in are written as their source text.
    return resourceListReply(outcome.items, outcome.results, received, [], verbatimTexts(text, list.items));
  } catch (error) {
    return resourceListReply(list.items, [internalErrorResult(error)], received, internalDetails(error));
  }
}

/**
 * kustomize's legacy exec plugin protocol: the plugin config is the file named by the first argument (or
 * `KUSTOMIZE_PLUGIN_CONFIG_STRING`), stdin holds the resources as multi-document YAML (empty for a
 * generator), and stdout takes the resulting resources the same way — or, on an error, a ResourceList with
 * the results. kustomize ignores results, so they also go to stderr.
 */
export function runLegacyPlugin(configText: string, stdin: Uint8Array): RunOutput {
  let functionConfig: unknown;
  let items: unknown[];
  try {
    functionConfig = parseYaml(configText, 'plugin config');
  } catch (error) {
    return legacyReply([], [inputErrorResult(error)], internalDetails(error));
  }
  try {
    items = parseYamlDocuments(decodeUtf8(stdin)).flatMap(unwrapList);
  } catch (error) {
    return legacyReply([], [inputErrorResult(error)], internalDetails(error));
  }
  const problems = validateItems(items, 'documents');
  if (problems.length > 0) return legacyReply(items, problems);
  const list = { items: items as KubeObject[], functionConfig };
  try {
    const outcome = processResourceList(list);
    return legacyReply(outcome.items, outcome.results);
  } catch (error) {
    return legacyReply(items, [internalErrorResult(error)], internalDetails(error));
  }
}

function resourceListReply(
  items: readonly unknown[],
  results: readonly KrmResult[],
  functionConfig: { readonly value: unknown } | undefined,
  details: readonly string[] = [],
  verbatim?: VerbatimTexts,
): RunOutput {
  return {
    stdout: writeResourceList(items, results, functionConfig, verbatim),
    ...diagnostics(results, details),
  };
}

/** Resources as multi-document YAML; on an error a ResourceList with the results, which kustomize also reads. */
function legacyReply(items: readonly unknown[], results: readonly KrmResult[], details: readonly string[] = []): RunOutput {
  const stdout = hasErrors(results) ? writeResourceList(items, results, undefined) : stringifyYamlDocuments(items);
  return { stdout, ...diagnostics(results, details) };
}

function diagnostics(results: readonly KrmResult[], details: readonly string[]): Omit<RunOutput, 'stdout'> {
  return {
    stderr: [...sortResults(results).map(formatResult), ...details],
    exitCode: hasErrors(results) ? 1 : 0,
  };
}

/** A ResourceList or v1 List among the documents stands for its items. */
function unwrapList(document: unknown): unknown[] {
  if (!isRecord(document) || !Array.isArray(document['items'])) return [document];
  const { apiVersion, kind } = document;
  const isList = (kind === 'ResourceList' && typeof apiVersion === 'string' && apiVersion.startsWith('config.kubernetes.io/')) || (kind === 'List' && apiVersion === 'v1');
  return isList ? document['items'] : [document];
}

function functionConfigOf(source: { readonly functionConfig?: unknown }): { readonly value: unknown } | undefined {
  return 'functionConfig' in source ? { value: source.functionConfig } : undefined;
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

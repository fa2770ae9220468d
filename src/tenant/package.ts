/**
 * The Auth0EventStreams of a package: every YAML file under a directory (or the files named), or a ResourceList
 * on stdin, as kpt hands one to a function.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isStream, type KubeObject } from '../core/index.js';
import { sourceFileOf } from '../krm/annotations.js';
import { readResourceList } from '../krm/resource-list.js';
import { decodeUtf8, InputError, parseYaml, parseYamlDocuments } from '../krm/yaml.js';
import { TenantError } from './errors.js';

export interface PackageStream {
  readonly item: KubeObject;
  /** Where it was read from, for messages. */
  readonly source: string;
}

export interface PackageReading {
  readonly streams: readonly PackageStream[];
  /** The ResourceList's functionConfig, when the package came as one. */
  readonly functionConfig?: unknown;
}

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export function readPackagePaths(paths: readonly string[]): PackageReading {
  const streams: PackageStream[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new TenantError('usage', `${path} does not exist; name a package directory or manifest files.`);
    }
    const files = isDirectory ? yamlFiles(path) : [path];
    for (const file of files) {
      for (const document of parseFile(file)) if (isStream(document)) streams.push({ item: document as KubeObject, source: file });
    }
  }
  return { streams };
}

export function readPackageResourceList(bytes: Uint8Array): PackageReading {
  const parsed = parse(() => parseYaml(decodeUtf8(bytes, 'stdin'), 'stdin'));
  const reading = readResourceList(parsed);
  if (!reading.ok) throw new TenantError('input', `stdin is not a usable ResourceList: ${reading.results.map((result) => result.message).join('; ')}`);
  const { list } = reading;
  return {
    streams: list.items.filter(isStream).map((item, index) => ({ item, source: sourceFileOf(item)?.path ?? `stdin, stream ${index + 1}` })),
    ...(list.functionConfig !== undefined ? { functionConfig: list.functionConfig } : {}),
  };
}

/** Reads one config file (`--fn-config`): a ConfigMap or an ExpansionConfig. */
export function readConfigFile(path: string): unknown {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new TenantError('input', `cannot read the function config ${path}.`);
  }
  return parse(() => parseYaml(decodeUtf8(bytes, path), path));
}

function yamlFiles(directory: string): string[] {
  const found: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) visit(join(dir, entry.name));
      } else if (entry.isFile() && YAML_FILE.test(entry.name)) {
        found.push(join(dir, entry.name));
      }
    }
  };
  visit(directory);
  return found;
}

function parseFile(file: string): unknown[] {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new TenantError('input', `cannot read ${file}.`);
  }
  return parse(() => parseYamlDocuments(decodeUtf8(bytes, file), file));
}

function parse<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof InputError) throw new TenantError('input', error.message);
    throw error;
  }
}

// Types of bench/generate.mjs, for the tests that use its kpt-shaped inputs.
export function resourceListChunks(streams: number): Generator<string>;
export function resourceList(streams: number): string;
export function legacyChunks(streams: number): Generator<string>;
export function writePackage(dir: string, streams: number): void;
export function phase2Request(workspace: unknown, variant?: number): Record<string, unknown>;

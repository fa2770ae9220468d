// ajv standalone validators for both JSON Schemas, so that nothing compiles a schema at start-up.
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

// ESM output must not call require(): the one runtime helper ajv references (string length in code points) is inlined.
const UCS2LENGTH =
  'function(str) { let length = 0; let pos = 0; while (pos < str.length) { length++; const c = str.charCodeAt(pos++); ' +
  'if (c >= 0xd800 && c <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++; } return length; }';

/** generated/validators.js */
export function validatorsModule(streamSchema, configSchema, banner) {
  const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true, code: { source: true, esm: true, optimize: true } });
  ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-redact', schemaType: 'string' });
  ajv.addSchema(streamSchema, 'stream');
  ajv.addSchema(configSchema, 'config');
  const code = standaloneCode(ajv, { validateStream: 'stream', validateConfig: 'config' }).replaceAll('require("ajv/dist/runtime/ucs2length").default', UCS2LENGTH);
  if (code.includes('require(')) throw new Error('ajv standalone code still calls require(); inline the helper');
  return `// ${banner}\n// @ts-nocheck\n${code}\n`;
}

/** generated/validators.d.ts: each validator a type guard for the document type generated from its schema. */
export function validatorsDeclarations(banner) {
  return (
    `// ${banner}\nimport type { CompiledValidator } from '../validator-types.js';\nimport type { ExpansionConfig, StreamDocument } from './types.js';\n` +
    `export declare const validateStream: CompiledValidator<StreamDocument>;\nexport declare const validateConfig: CompiledValidator<ExpansionConfig>;\n`
  );
}

/**
 * The step input (the ExpansionConfig of the Composition step), read and validated once per distinct content:
 * every call of a step carries the same input, and both the composer and the delivery health hook need it.
 */
import { readConfig } from '../core/index.js';
import { memoizedJson } from '../core/memo.js';

export const readStepInput = memoizedJson((input) => readConfig(input), 32);

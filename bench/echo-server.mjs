// The "equally large response" server: built with the same SDK, it decodes each request and answers with the
// function's own answer to a request of that spec (given as a JSON file: answers by the XR's subscriptions,
// joined with commas), carrying the request's tag. The uncached rows of the benchmark compare the function
// with it, so that what they measure is the function's own work, not decoding and encoding messages of that
// size: request by request, it decodes what the function decodes and encodes as much as the function encodes.
import { readFileSync } from 'node:fs';
import { RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { serveWithSdk } from './sdk-server.mjs';

const answers = new Map(Object.entries(JSON.parse(readFileSync(process.argv[2], 'utf8'))).map(([key, json]) => [key, RunFunctionResponse.fromJSON(json)]));
serveWithSdk(async (request) => {
  const subscriptions = request.observed?.composite?.resource?.spec?.subscriptions;
  const answer = answers.get(Array.isArray(subscriptions) ? subscriptions.join(',') : '');
  if (answer === undefined) throw new Error('no answer for this spec');
  return { ...answer, meta: { ...answer.meta, tag: request.meta?.tag ?? '' } };
});

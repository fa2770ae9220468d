// A no-op composition function built with the same SDK: it answers every call with to(request).
import { to } from '@crossplane-org/function-sdk-typescript';
import { serveWithSdk } from './sdk-server.mjs';

serveWithSdk(async (request) => to(request));

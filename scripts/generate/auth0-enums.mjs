// The auth0 SDK's enums (event types, EventBridge regions): the single source for both lists.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function auth0Enums() {
  const { Management } = require('auth0');
  return {
    version: require('auth0/package.json').version,
    eventTypes: Object.values(Management.EventStreamEventTypeEnum),
    regions: Object.values(Management.EventStreamEventBridgeAwsRegionEnum),
  };
}

/** src/core/schema/generated/auth0-enums.ts */
export function enumsModule({ version, eventTypes, regions }, banner) {
  return (
    `// ${banner}\n// Source: auth0@${version} Management.EventStreamEventTypeEnum and EventStreamEventBridgeAwsRegionEnum.\n\n` +
    `/** Event types an Auth0 event stream can subscribe to. */\n` +
    `export const AUTH0_EVENT_TYPES = ${JSON.stringify(eventTypes, null, 2)} as const;\n\n` +
    `/** AWS regions Auth0 can create an EventBridge partner event source in. */\n` +
    `export const AUTH0_AWS_REGIONS = ${JSON.stringify(regions, null, 2)} as const;\n\n` +
    `export const AUTH0_SDK_VERSION = ${JSON.stringify(version)};\n`
  );
}

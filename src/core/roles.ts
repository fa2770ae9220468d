/**
 * The parts a stream's resources play: their Crossplane composition resource names (roles) and the suffixes of
 * their object names (`<stream>-<suffix>`, see names.ts). Every generator, the configuration's clash checks
 * and the adapters take them from here.
 */

export const ROLE = {
  workspace: 'workspace',
  credentials: 'credentials',
  bus: 'bus',
  rule: 'rule',
  route: (route: string): string => `route-${route}`,
  routeTarget: (route: string, index: number): string => `route-${route}-target-${index}`,
  permission: (route: string, index: number): string => `permission-${route}-${index}`,
} as const;

export const NAME_SUFFIX = {
  workspace: 'auth0-stream',
  credentials: 'webhook-credentials',
  bus: 'partner-bus',
  rule: 'events',
  route: (route: string): string => route,
  routeTarget: (route: string, index: number): string => `${route}-${index}`,
} as const;

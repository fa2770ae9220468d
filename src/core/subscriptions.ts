/**
 * Event types: wildcard expansion (Auth0 itself has none), "did you mean" for unknown types, duplicates.
 * The list of known types is generated from the auth0 SDK at build time.
 */
import { glob } from './glob.js';
import { memoized } from './memo.js';
import { quote, report } from './findings.js';
import { closest, suggestionBudget, type SuggestionBudget } from './suggest.js';
import { RULES } from './rules.js';
import { AUTH0_EVENT_TYPES } from './schema/index.js';
import type { Finding } from './types.js';

export const KNOWN_EVENT_TYPES: readonly string[] = AUTH0_EVENT_TYPES;
const known = new Set(KNOWN_EVENT_TYPES);
const families = [...new Set(KNOWN_EVENT_TYPES.map((type) => type.split('.')[0]!))];

export interface ResolvedEventTypes {
  /** Concrete event types in first-mention order, without duplicates. */
  readonly types: string[];
  readonly findings: Finding[];
}

/**
 * @param entries the event types as written (may contain `*` wildcards)
 * @param pathOf the user's path of entry `i`, for findings
 * @param strictness whether an unknown event type is an error or a warning
 * @param budget the suggestion budget of the input object the list belongs to
 */
export function resolveEventTypes(
  entries: readonly string[],
  pathOf: (index: number) => string,
  strictness: 'strict' | 'warn',
  budget: SuggestionBudget = suggestionBudget(),
): ResolvedEventTypes {
  const types: string[] = [];
  const findings: Finding[] = [];
  const chosenBy = new Map<string, number>();
  entries.forEach((entry, index) => {
    let matches: readonly string[];
    if (entry.includes('*')) {
      matches = expandWildcard(entry);
      if (matches.length === 0) {
        const path = pathOf(index);
        findings.push(
          report(RULES['wildcard-matches-nothing'], `${path}: ${quote(entry)} matches no Auth0 event type; event types start with ${families.map((f) => `${f}.`).join(', ')}`, {
            path,
            currentValue: entry,
          }),
        );
        return;
      }
    } else if (known.has(entry)) {
      matches = [entry];
    } else {
      const path = pathOf(index);
      const confusion = confusions.find(([pattern]) => pattern.test(entry));
      const suggestion = confusion ? confusion[2] : suggest(entry, budget);
      const fix = [
        suggestion ? `did you mean ${quote(suggestion)}?` : undefined,
        confusion?.[1],
        suggestion || confusion ? undefined : `Auth0 event streams deliver ${families.map((f) => `${f}.*`).join(', ')} events (see --help for the full list).`,
      ]
        .filter(Boolean)
        .join(' ');
      findings.push(
        report(RULES['unknown-event-type'], `${path}: ${quote(entry)} is not an Auth0 event type; ${fix}`, {
          severity: strictness === 'strict' ? 'error' : 'warning',
          path,
          currentValue: entry,
          ...(suggestion ? { proposedValue: suggestion } : {}),
        }),
      );
      if (strictness === 'strict') return;
      matches = [entry];
    }
    for (const type of matches) {
      const earlier = chosenBy.get(type);
      if (earlier === undefined) {
        chosenBy.set(type, index);
        types.push(type);
      } else if (!entry.includes('*')) {
        const path = pathOf(index);
        findings.push(
          report(RULES['duplicate-subscription'], `${path}: ${quote(type)} is already subscribed by ${pathOf(earlier)}; the duplicate is ignored.`, {
            path,
            currentValue: entry,
          }),
        );
      }
    }
  });
  return { types, findings };
}

/**
 * Names that look like event types but are not, with what the user probably wants. Several come from the
 * OpenMCF documentation, which borrowed them from Auth0 log streams.
 */
const confusions: ReadonlyArray<readonly [RegExp, string, string?]> = [
  [/^(authentication|api\.authorization|management)\./, 'Authentication, API authorization and management events are log events: use an Auth0 log stream for them.'],
  [/^user\.(un)?blocked$/, 'Blocking or unblocking a user is delivered as user.updated.', 'user.updated'],
];

/** The closest known type: within the same family (`user.`) if there is one, otherwise a near typo. */
function suggest(entry: string, budget: SuggestionBudget): string | undefined {
  const family = entry.split('.')[0];
  const sameFamily = KNOWN_EVENT_TYPES.filter((type) => type.split('.')[0] === family);
  if (sameFamily.length > 0) return closest(entry, sameFamily, Infinity, budget);
  return closest(entry, KNOWN_EVENT_TYPES, undefined, budget);
}

/** `user.*` → every known `user.…` type; `*` may stand anywhere and matches any run of characters. */
export const expandWildcard: (pattern: string) => readonly string[] = memoized((pattern) => {
  const wildcard = glob(pattern);
  return Object.freeze(KNOWN_EVENT_TYPES.filter((type) => wildcard.matches(type)));
});

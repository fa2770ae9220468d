/**
 * "Did you mean": the candidate closest to a value in edit distance (Levenshtein), within a tolerance. The
 * work is bounded twice over, so that no input can make suggestions costly:
 * - per comparison, only the band of the distance table within the tolerance (or within the best distance
 *   found so far) is computed, and a candidate whose length alone puts it out of reach is not compared;
 * - per input object, every comparison draws from one budget of steps (`SuggestionBudget`); once it is spent,
 *   no more suggestions are made for that object. A value compared with thousands of candidates, or thousands
 *   of values each compared with a few, then cost no more than a fixed amount together.
 */

/** Steps (cells of a distance table, and candidates looked at) one input object may spend on suggestions. */
export const SUGGESTION_STEPS = 1_000_000;

/** Values longer than this get no suggestion: no candidate is a typo away from them. */
const MAX_VALUE_LENGTH = 200;

/** What is left of the steps suggestions may take for one input object (a stream, a configuration, a package). */
export interface SuggestionBudget {
  remaining: number;
}

export function suggestionBudget(steps = SUGGESTION_STEPS): SuggestionBudget {
  return { remaining: steps };
}

/**
 * The candidate closest to `value`, if it is within `tolerance` edits (by default: close enough to be a typo);
 * of equally close candidates the first. Undefined when none is, or when `budget` ran out before the answer
 * was certain.
 */
export function closest(
  value: string,
  candidates: readonly string[],
  tolerance = Math.max(2, Math.floor(value.length / 3)),
  budget: SuggestionBudget = suggestionBudget(),
): string | undefined {
  if (value.length > MAX_VALUE_LENGTH) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (budget.remaining <= 0) return undefined;
    budget.remaining -= 1;
    // Only a strictly closer candidate replaces the best one.
    const limit = Math.min(tolerance, bestDistance - 1, Math.max(value.length, candidate.length));
    if (limit < 0) break;
    const distance = distanceWithin(value, candidate, limit, budget);
    if (budget.remaining < 0) return undefined;
    if (distance !== undefined) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The edit distance of `a` and `b` if it is at most `limit`, else undefined; computes only the cells within
 * `limit` of the diagonal (Ukkonen), and stops once a whole row is beyond it. Each cell costs one step.
 */
function distanceWithin(a: string, b: string, limit: number, budget: SuggestionBudget): number | undefined {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > limit) return undefined;
  const beyond = limit + 1;
  let previous = new Int32Array(m + 1);
  let current = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) previous[j] = Math.min(j, beyond);
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(m, i + limit);
    budget.remaining -= to - from + 1;
    if (budget.remaining < 0) return undefined;
    // The cell left of the band: the first column, or out of reach.
    current[from - 1] = from === 1 ? Math.min(i, beyond) : beyond;
    let rowMinimum = current[from - 1]!;
    const unit = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const cell = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (unit === b.charCodeAt(j - 1) ? 0 : 1), beyond);
      current[j] = cell;
      if (cell < rowMinimum) rowMinimum = cell;
    }
    // The cell right of the band, which the next row reads above its last cell.
    if (to < m) current[to + 1] = beyond;
    if (rowMinimum > limit) return undefined;
    [previous, current] = [current, previous];
  }
  const distance = previous[m]!;
  return distance <= limit ? distance : undefined;
}

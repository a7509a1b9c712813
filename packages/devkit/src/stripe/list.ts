/**
 * Stripe's list objects: newest first, `limit` (1–100, default 10), cursors `starting_after` /
 * `ending_before`, and `created` as an exact time or a `gt`/`gte`/`lt`/`lte` range.
 */
import { invalidParam, resourceMissing } from './errors';
import type { ListObject } from './objects';
import type { FormParams, RangeFilter } from './params';

/** The list parameters every list endpoint takes, for `allowOnly`. */
export const LIST_PARAMS = [
  'limit',
  'starting_after',
  'ending_before',
  'created',
  'expand',
] as const;

export function withinRange(value: number, range: RangeFilter | undefined): boolean {
  if (!range) return true;
  if (range.gt !== undefined && !(value > range.gt)) return false;
  if (range.gte !== undefined && !(value >= range.gte)) return false;
  if (range.lt !== undefined && !(value < range.lt)) return false;
  if (range.lte !== undefined && !(value <= range.lte)) return false;
  return true;
}

/**
 * One page of `items` (given oldest first, as stored). Objects created in the same second keep their
 * creation order, so pages never skip or repeat an object.
 */
export function paginate<T>(
  items: readonly T[],
  params: FormParams,
  options: {
    url: string;
    objectName: string;
    idOf: (item: T) => string;
    createdOf?: (item: T) => number;
  },
): ListObject<T> {
  const limit = params.integer('limit', { min: 1, max: 100 }) ?? 10;
  const created = params.range('created');
  const startingAfter = params.string('starting_after');
  const endingBefore = params.string('ending_before');
  if (startingAfter && endingBefore) {
    throw invalidParam(
      'ending_before',
      'You may only specify one of these parameters: starting_after, ending_before.',
    );
  }
  const { createdOf, idOf } = options;
  let newestFirst = [...items]
    .reverse()
    .filter((item) => !createdOf || withinRange(createdOf(item), created));

  const positionOf = (id: string, param: string) => {
    const index = newestFirst.findIndex((item) => idOf(item) === id);
    if (index === -1) throw resourceMissing(options.objectName, id, param);
    return index;
  };
  if (startingAfter) {
    newestFirst = newestFirst.slice(positionOf(startingAfter, 'starting_after') + 1);
  } else if (endingBefore) {
    // The page just before the cursor, still newest first.
    const before = newestFirst.slice(0, positionOf(endingBefore, 'ending_before'));
    return {
      object: 'list',
      data: before.slice(Math.max(0, before.length - limit)),
      has_more: before.length > limit,
      url: options.url,
    };
  }
  return {
    object: 'list',
    data: newestFirst.slice(0, limit),
    has_more: newestFirst.length > limit,
    url: options.url,
  };
}

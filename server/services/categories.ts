import { randomInt } from "node:crypto";

/**
 * sVirt category allocation (pure parts): a random pair cA,cB with A < B drawn from the
 * platform's range. Uniqueness is the database's job (unique index on the pair); callers redraw
 * on a collision.
 */

export type CategoryRange = { min: number; max: number };

export const DEFAULT_CATEGORY_RANGE: CategoryRange = { min: 0, max: 1023 };

export function validateRange(range: CategoryRange): void {
  if (!Number.isInteger(range.min) || !Number.isInteger(range.max) || range.min < 0 || range.max > 1023) {
    throw new Error(`category range c${range.min}..c${range.max} must lie within c0..c1023`);
  }
  if (range.max - range.min + 1 < 8) {
    throw new Error(`category range c${range.min}..c${range.max} must hold at least 8 categories`);
  }
}

export function pairCount(range: CategoryRange): number {
  const n = range.max - range.min + 1;
  return (n * (n - 1)) / 2;
}

export function drawPair(range: CategoryRange, random: (maxExclusive: number) => number = randomInt) {
  const n = range.max - range.min + 1;
  const a = random(n);
  let b = random(n - 1);
  if (b >= a) b += 1;
  return { categoryLow: range.min + Math.min(a, b), categoryHigh: range.min + Math.max(a, b) };
}

export function parseRange(text: string | undefined): CategoryRange {
  if (!text) return DEFAULT_CATEGORY_RANGE;
  const m = /^c(\d+)\.\.c(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`REALMGATE_CATEGORY_RANGE must look like c0..c1023, got '${text}'`);
  const range = { min: Number(m[1]), max: Number(m[2]) };
  validateRange(range);
  return range;
}

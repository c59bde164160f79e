/**
 * Category sets as fixed-width bitmaps (32 categories per word). Every set in one policy has
 * the same width, so dominance and equality are word loops with no allocation.
 */
export type CatSet = Uint32Array;

export function emptyCats(words: number): CatSet {
  return new Uint32Array(words);
}

export function catWords(count: number): number {
  return Math.max(1, Math.ceil(count / 32));
}

export function setCat(s: CatSet, bit: number): void {
  s[bit >>> 5]! |= 1 << (bit & 31);
}

export function hasCat(s: CatSet, bit: number): boolean {
  return ((s[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
}

/** a ⊇ b */
export function catsContain(a: CatSet, b: CatSet): boolean {
  for (let i = 0; i < b.length; i++) {
    const bw = b[i]!;
    if (((a[i]! & bw) >>> 0) !== bw) return false;
  }
  return true;
}

export function catsEqual(a: CatSet, b: CatSet): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function catsIsEmpty(a: CatSet): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/** Set bits in ascending order. */
export function catBits(a: CatSet): number[] {
  const out: number[] = [];
  for (let w = 0; w < a.length; w++) {
    let v = a[w]!;
    while (v !== 0) {
      const low = v & -v;
      out.push(w * 32 + (31 - Math.clz32(low)));
      v ^= low;
    }
  }
  return out;
}

export function catsKey(a: CatSet): string {
  let s = "";
  for (let i = 0; i < a.length; i++) s += a[i]!.toString(36) + ".";
  return s;
}

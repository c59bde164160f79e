/**
 * SHA-256's compression function (FIPS 180-4) in JavaScript, for the verifier's short fixed-size
 * HMAC steps only: an HMAC's outer hash and a chain tag are one or two 64-byte blocks after the
 * key's padded block, whose state (the midstate) is computed once per key. For those, a call into
 * Node's crypto costs several times the hashing itself (argument checks, a digest context per
 * call); long messages still go to Node's native, hardware-accelerated SHA-256.
 * Checked against node:crypto by hmac.test.ts.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
  0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
  0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

export const SHA256_IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const W = new Int32Array(64);

/** state ← compress(state, 64 bytes of `block` from `offset`). */
export function compress(state: Int32Array, block: Uint8Array, offset = 0): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    W[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/** The state after one 64-byte block from the IV (an HMAC key's padded block). */
export function midstate(block: Uint8Array): Int32Array {
  const state = new Int32Array(SHA256_IV);
  compress(state, block);
  return state;
}

const tail = new Uint8Array(64);
const finishState = new Int32Array(8);

/**
 * SHA-256 of (the 64 bytes the midstate absorbed ‖ 32 bytes of `message`): one more block, the 32
 * bytes, 0x80, zeros, and the length in bits (96 × 8 = 768). Writes the digest into `out` at `at`.
 */
export function finish32(mid: Int32Array, message: Uint8Array, out: Uint8Array, at = 0): void {
  tail.set(message.subarray(0, 32), 0);
  tail[32] = 0x80;
  tail.fill(0, 33, 62);
  tail[62] = 0x03; // 768 = 0x0300
  tail[63] = 0x00;
  const state = finishState;
  state.set(mid);
  compress(state, tail);
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    out[at + i * 4] = v >>> 24;
    out[at + i * 4 + 1] = (v >>> 16) & 0xff;
    out[at + i * 4 + 2] = (v >>> 8) & 0xff;
    out[at + i * 4 + 3] = v & 0xff;
  }
}

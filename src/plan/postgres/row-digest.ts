/**
 * An order-independent digest of a principal's entitlement rows, built while the rows stream
 * in, without keeping them: each row is hashed (two independent 32-bit FNV-1a hashes over its
 * fields, each field preceded by its length so no two rows hash the same text) and the hashes
 * are summed, with the row count. Plan compares digests of 100,000 principals without building
 * or sorting a string per row, which is what kept the garbage collector busy.
 * A difference that two 32-bit sums and the count all miss is a 1-in-2^64 accident per changed
 * principal; rows come from reviewed policies, not from an adversary choosing hashes.
 */
export class RowDigest {
  private a = 0;
  private b = 0;
  private n = 0;

  add(f1: string, f2: string, f3 = '', f4 = '', f5 = ''): void {
    let ha = 0x811c9dc5;
    let hb = 0x01000193 ^ 0x5bd1e995;
    for (const field of [f1, f2, f3, f4, f5]) {
      ha = Math.imul(ha ^ field.length, 0x01000193);
      hb = Math.imul(hb ^ field.length, 0x0100019d);
      for (let i = 0; i < field.length; i++) {
        const c = field.charCodeAt(i);
        ha = Math.imul(ha ^ c, 0x01000193);
        hb = Math.imul(hb ^ c, 0x0100019d);
      }
    }
    // Final avalanche, so sums of similar rows do not cancel out in low bits.
    ha ^= ha >>> 15;
    ha = Math.imul(ha, 0x2c1b3c6d);
    ha ^= ha >>> 12;
    hb ^= hb >>> 13;
    hb = Math.imul(hb, 0x297a2d39);
    hb ^= hb >>> 15;
    this.a = (this.a + (ha >>> 0)) >>> 0;
    this.b = (this.b + (hb >>> 0)) >>> 0;
    this.n++;
  }

  value(): string {
    return `${this.n}:${this.a.toString(16)}:${this.b.toString(16)}`;
  }
}

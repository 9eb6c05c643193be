/**
 * Seeded pseudo-random numbers: xoshiro128** seeded by splitmix32. Same seed, same sequence, on
 * every platform (32-bit integer arithmetic; the exponential tables are built with `Math.exp` and
 * `Math.log` on exact inputs at load time).
 *
 * Exponential draws use the ziggurat method (Marsaglia and Tsang 2000, "The Ziggurat Method for
 * Generating Random Variables", 256 layers), which is exact for the exponential distribution: about
 * 99% of draws cost one 32-bit number, a table look-up and a multiply, with no logarithm. Each draw
 * takes the layer from the low 8 bits and an independent 24-bit uniform from the high 24 bits.
 *
 * @module
 */

const LAYERS = 256;
const TWO24 = 16777216;
/** Layer acceptance thresholds on the 24-bit uniform. */
const ke = new Uint32Array(LAYERS);
/** Layer widths divided by 2^24 (x = (u24 + 0.5) × we[i]). */
const we = new Float64Array(LAYERS);
/** exp(−x_i) at each layer's edge. */
const fe = new Float64Array(LAYERS);
/** Right edge of the base layer; draws beyond it come from the tail. */
const R = 7.697117470131487;
{
  const v = 3.949659822581572e-3;
  let de = R;
  let tde = de;
  const q = v / Math.exp(-de);
  ke[0] = Math.floor((de / q) * TWO24);
  ke[1] = 0;
  we[0] = q / TWO24;
  we[LAYERS - 1] = de / TWO24;
  fe[0] = 1;
  fe[LAYERS - 1] = Math.exp(-de);
  for (let i = LAYERS - 2; i >= 1; i--) {
    de = -Math.log(v / de + Math.exp(-de));
    ke[i + 1] = Math.floor((de / tde) * TWO24);
    tde = de;
    fe[i] = Math.exp(-de);
    we[i] = de / TWO24;
  }
}

/** A seeded random source. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seeds the four state words from `seed` with splitmix32. */
  constructor(seed: number) {
    let x = seed >>> 0;
    const split = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = split();
    this.s1 = split();
    this.s2 = split();
    this.s3 = split();
  }

  /** Next 32-bit unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  /** Uniform number in the open interval (0, 1). */
  float(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Standard exponential number (mean 1), by the ziggurat method. */
  exp1(): number {
    const j = this.nextUint32();
    const i = j & 255;
    const u = j >>> 8;
    if (u < ke[i]) return (u + 0.5) * we[i];
    return this.expSlow(i, u);
  }

  /**
   * Fills `out` with standard exponential numbers, the same as calling {@link Rng.exp1} once per
   * element in order. A tight loop with no boxed return values: the engine draws in blocks.
   */
  fillExp1(out: Float64Array): void {
    for (let n = 0; n < out.length; n++) {
      const j = this.nextUint32();
      const i = j & 255;
      const u = j >>> 8;
      out[n] = u < ke[i] ? (u + 0.5) * we[i] : this.expSlow(i, u);
    }
  }

  /** Exponentially distributed number with the given mean. */
  exponential(mean: number): number {
    return this.exp1() * mean;
  }

  /** Standard normal number (Box–Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.float())) * Math.cos(2 * Math.PI * this.float());
  }

  /** The ziggurat's rare path: the tail beyond R, or a point near a layer's curved edge. */
  private expSlow(layer: number, uniform: number): number {
    let i = layer;
    let u = uniform;
    for (;;) {
      // The exponential is memoryless: beyond R the tail is R plus a fresh exponential.
      if (i === 0) return R - Math.log(this.float());
      const x = (u + 0.5) * we[i];
      if (fe[i] + this.float() * (fe[i - 1] - fe[i]) < Math.exp(-x)) return x;
      const j = this.nextUint32();
      i = j & 255;
      u = j >>> 8;
      if (u < ke[i]) return (u + 0.5) * we[i];
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

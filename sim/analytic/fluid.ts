/**
 * The fluid limit of the loss system, for overloads. The modified-offered-load approximation
 * (sim/analytic/transient.ts) is accurate while blocking is small, but in a strong overload that begins
 * faster than ports are released (a burst shorter than the lifetime, a fill past the Azure
 * 2,000,000 cap with constant holds) the ports a full gateway frees are those accepted one lifetime
 * earlier, not the steady-state share Erlang-B assumes. Here accepted traffic is tracked cell by
 * cell: a cell's arrivals are accepted up to the room its end leaves under each limit (ports of the
 * destination, open connections of the gateway), and what they still hold later follows each
 * stream's lifetime. natcap reports the larger of the two estimates per destination.
 *
 * @module
 */
import { lifetimeMean, lifetimeUsed } from "./survival";
import type { FluidErrors, TransientModel } from "./transient";

/** Most cells of the fluid grid over the run. */
const MAX_CELLS = 20_000;
/** Most cells of lifetime history a cell looks back on (longer tails are cut, documented). */
const MAX_HISTORY = 1_000;

/** Fluid-limit figures for every destination at one IP count (declared with the model). */
export type { FluidErrors };

/** Expected arrivals of each stream in each cell: ∫ λ over the cell (rates are piecewise constant). */
export function cellArrivals(
  times: Float64Array,
  rates: Float64Array,
  dt: number,
  n: number,
  T: number,
): Float64Array {
  const out = new Float64Array(n);
  for (let j = 0; j < times.length; j++) {
    const a = times[j];
    const b = j + 1 < times.length ? times[j + 1] : T;
    const r = rates[j];
    if (!(r > 0) || !(b > a)) continue;
    for (let i = Math.floor(a / dt); i < n && i * dt < b; i++) {
      const lo = Math.max(a, i * dt);
      const hi = Math.min(b, (i + 1) * dt);
      if (hi > lo) out[i] += r * (hi - lo);
    }
  }
  return out;
}

/** Share of a cell's arrivals still in use at the end of the cell `j` cells later. */
export function weights(
  model: TransientModel,
  life: Parameters<typeof lifetimeUsed>[0],
  dt: number,
): Float64Array {
  const mean = lifetimeMean(life);
  const w: number[] = [];
  for (let j = 0; j < MAX_HISTORY; j++) {
    const x = (lifetimeUsed(life, (j + 1) * dt) - lifetimeUsed(life, j * dt)) / dt;
    w.push(x);
    if (mean - lifetimeUsed(life, (j + 1) * dt) < 1e-7 * mean) break;
    if ((j + 1) * dt > model.workload.durationSeconds) break;
  }
  return Float64Array.from(w);
}

/**
 * Fluid-limit rejected arrivals per destination with `ips` IPs (Infinity: no per-IP limit, only
 * the gateway-wide cap). Cost: cells × streams × lifetime history, both bounded.
 */
export function fluidErrors(model: TransientModel, ips: number): FluidErrors {
  const w = model.workload;
  const T = w.durationSeconds;
  const nd = w.destinations.length;
  const streams = model.streams;
  const shortest = Math.min(...streams.map((s) => Math.max(1e-6, lifetimeMean(s.held))));
  const n = Math.max(1, Math.min(MAX_CELLS, Math.ceil(T / (shortest / 20))));
  const dt = T / n;
  const capacity = ips * model.perIpLimit;
  const cap = model.totalConnections;
  const arrivals = streams.map((s) => cellArrivals(s.times, s.rates, dt, n, T));
  const held = streams.map((s) => weights(model, s.held, dt));
  const open = streams.map((s) => weights(model, s.open, dt));
  const accepted = streams.map(() => new Float64Array(n));
  const errors = new Float64Array(nd);
  const heldArea = new Float64Array(nd);
  const heldBefore = new Float64Array(nd);
  const oldHeld = new Float64Array(nd);
  const newHeld = new Float64Array(nd);
  const offered = new Float64Array(nd);
  const theta = new Float64Array(nd);
  for (let i = 0; i < n; i++) {
    oldHeld.fill(0);
    newHeld.fill(0);
    offered.fill(0);
    let oldOpen = 0;
    let newOpen = 0;
    for (let s = 0; s < streams.length; s++) {
      const acc = accepted[s];
      const wh = held[s];
      const wo = open[s];
      let h = 0;
      for (let j = 1; j < wh.length && j <= i; j++) h += acc[i - j] * wh[j];
      let o = 0;
      for (let j = 1; j < wo.length && j <= i; j++) o += acc[i - j] * wo[j];
      const d = streams[s].dest;
      oldHeld[d] += h;
      oldOpen += o;
      newHeld[d] += arrivals[s][i] * (wh[0] ?? 0);
      offered[d] += arrivals[s][i];
    }
    for (let d = 0; d < nd; d++) {
      const room = Math.max(0, capacity - oldHeld[d]);
      theta[d] = newHeld[d] > room ? room / newHeld[d] : 1;
    }
    for (let s = 0; s < streams.length; s++)
      newOpen += theta[streams[s].dest] * arrivals[s][i] * (open[s][0] ?? 0);
    const roomOpen = Math.max(0, cap - oldOpen);
    const gamma = newOpen > roomOpen ? roomOpen / newOpen : 1;
    for (let s = 0; s < streams.length; s++) {
      const d = streams[s].dest;
      const a = arrivals[s][i] * theta[d] * gamma;
      accepted[s][i] = a;
      errors[d] += arrivals[s][i] - a;
      oldHeld[d] += a * (held[s][0] ?? 0);
    }
    for (let d = 0; d < nd; d++) {
      heldArea[d] += (dt * (heldBefore[d] + oldHeld[d])) / 2;
      heldBefore[d] = oldHeld[d];
    }
  }
  return { errors, heldArea };
}

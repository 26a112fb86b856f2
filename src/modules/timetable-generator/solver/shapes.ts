import type { Compiled } from './compile.js';
import type { Rng } from './rng.js';

/**
 * Day shapes of compact people (`Compiled.compact`: a class with `compactDays`, a FET students set
 * with no gaps and no late beginnings, both hard): how many lessons each of their days holds. A compact day of length
 * L is exactly the person's first L hours that are neither a break nor their own not-available
 * time, so once the lengths are chosen the person may only use those slots, and when the lengths
 * add up to the person's hours a complete timetable fills them all: compactness becomes plain
 * availability, which recursive swapping handles well. Left to the relaxed reading of gaps
 * instead, the build placed all but one or two lessons of the demo school within 0.03 s and then
 * needed 4.5 s of restarts to fit the last ones. The shapes are off for the first build (where
 * the relaxed reading is enough, fixed lengths can slow it: Bulgaria/Lom 0.1 s without, 0.8-3.7 s
 * with) and then on and off at every other restart (Germany/secondary_school, seed 2: solved in
 * 9 s this way, not within 20 s with shapes always on or always off); each time they come back on, the
 * lengths of the people still waiting change (`perturb`: one hour from one day to another).
 */
export class DayShapes {
  private readonly c: Compiled;
  private readonly rng: Rng;
  /** 1 when person `p` has a shape. */
  private readonly shaped: Uint8Array;
  /** Day lengths, and their bounds (fixed activities below, available hours and hard daily maximum above). */
  private readonly length: Int32Array;
  private readonly low: Int32Array;
  private readonly high: Int32Array;
  /** 1 when the shape lets person `p` use slot `s`: `allowed[p * slots + s]`. */
  private readonly allowed: Uint8Array;
  /** While off, every slot fits. */
  private active = false;
  private used = false;

  get on(): boolean {
    return this.active;
  }
  /** 1 when activity `a` has a shaped person. */
  private readonly concerns: Uint8Array;

  constructor(c: Compiled, rng: Rng) {
    this.c = c;
    this.rng = rng;
    const D = c.days;
    this.shaped = new Uint8Array(c.people);
    this.length = new Int32Array(c.people * D);
    this.low = new Int32Array(c.people * D);
    this.high = new Int32Array(c.people * D);
    this.allowed = new Uint8Array(c.people * c.slots);
    this.concerns = new Uint8Array(c.activities);
    for (let p = 0; p < c.people; p++) {
      if (c.compact[p] && this.bound(p)) {
        this.shaped[p] = 1;
        for (let d = 0; d < D; d++) this.mask(p, d);
        for (let i = c.personActsStart[p]!, e = c.personActsStart[p + 1]!; i < e; i++) this.concerns[c.personActs[i]!] = 1;
      }
    }
  }

  /** The rank of hour `h` of day `d` among the person's usable hours of that day (-1 for a blocked hour). */
  private rank(p: number, d: number, h: number): number {
    const c = this.c;
    const base = p * c.slots + d * c.hours;
    if (c.personBlocked[base + h]) return -1;
    let r = 0;
    for (let k = 0; k < h; k++) if (!c.personBlocked[base + k]) r++;
    return r;
  }

  /** Sets the bounds and a first, even spread of the person's hours; false when no lengths add up. */
  private bound(p: number): boolean {
    const c = this.c;
    const D = c.days;
    const H = c.hours;
    let maxDaily = H;
    for (let l = c.limitStart[p]!, e = c.limitStart[p + 1]!; l < e; l++) {
      if (c.limitWeight[l]! >= 100 && c.limitKind[l] === 0) maxDaily = Math.min(maxDaily, c.limitValue[l]!);
    }
    for (let d = 0; d < D; d++) {
      let usable = 0;
      for (let h = 0; h < H; h++) if (!c.personBlocked[p * c.slots + d * H + h]) usable++;
      this.high[p * D + d] = Math.min(maxDaily, usable);
    }
    let hours = 0;
    for (let i = c.personActsStart[p]!, e = c.personActsStart[p + 1]!; i < e; i++) {
      const a = c.personActs[i]!;
      // An activity with no start slot is never placed, so it takes no room in the shape.
      if (c.domainStart[a + 1]! === c.domainStart[a]!) continue;
      hours += c.duration[a]!;
      if (!c.fixed[a]) continue;
      const s = c.fixedSlot[a]!;
      const d = (s / H) | 0;
      const last = this.rank(p, d, (s % H) + c.duration[a]! - 1);
      if (last < 0) return false;
      this.low[p * D + d] = Math.max(this.low[p * D + d]!, last + 1);
    }
    let total = 0;
    for (let d = 0; d < D; d++) {
      if (this.low[p * D + d]! > this.high[p * D + d]!) return false;
      this.length[p * D + d] = this.low[p * D + d]!;
      total += this.low[p * D + d]!;
    }
    // Hours go one at a time to the shortest day that can take one, from a random first day on.
    const offset = this.rng.int(D);
    for (; total < hours; total++) {
      let best = -1;
      for (let k = 0; k < D; k++) {
        const d = (offset + k) % D;
        const i = p * D + d;
        if (this.length[i]! < this.high[i]! && (best < 0 || this.length[i]! < this.length[p * D + best]!)) best = d;
      }
      if (best < 0) return false;
      this.length[p * D + best] = this.length[p * D + best]! + 1;
    }
    return true;
  }

  private mask(p: number, d: number): void {
    const c = this.c;
    const base = p * c.slots + d * c.hours;
    let used = 0;
    const length = this.length[p * c.days + d]!;
    for (let h = 0; h < c.hours; h++) {
      const usable = !c.personBlocked[base + h];
      this.allowed[base + h] = usable && used < length ? 1 : 0;
      if (usable) used++;
    }
  }

  /** Turns the shapes on or off; true when they come on again (not the first time) and should change. */
  toggle(): boolean {
    this.active = !this.active;
    const again = this.active && this.used;
    this.used = true;
    return again;
  }

  /** True when `a` starting at `s` stays inside the shape of each of its shaped people. */
  fits(a: number, s: number): boolean {
    if (!this.active || !this.concerns[a]) return true;
    const c = this.c;
    const S = c.slots;
    const dur = c.duration[a]!;
    for (let i = c.actPeopleStart[a]!, e = c.actPeopleStart[a + 1]!; i < e; i++) {
      const p = c.actPeople[i]!;
      if (!this.shaped[p]) continue;
      for (let k = 0; k < dur; k++) if (!this.allowed[p * S + s + k]) return false;
    }
    return true;
  }

  /** Moves one hour of each shaped person of `a` from one day to another. */
  perturb(a: number): void {
    const c = this.c;
    const D = c.days;
    for (let i = c.actPeopleStart[a]!, e = c.actPeopleStart[a + 1]!; i < e; i++) {
      const p = c.actPeople[i]!;
      if (!this.shaped[p]) continue;
      const from = this.pickDay(p, (x) => this.length[x]! > this.low[x]!, -1);
      const to = this.pickDay(p, (x) => this.length[x]! < this.high[x]!, from);
      if (from < 0 || to < 0) continue;
      this.length[p * D + from] = this.length[p * D + from]! - 1;
      this.length[p * D + to] = this.length[p * D + to]! + 1;
      this.mask(p, from);
      this.mask(p, to);
    }
  }

  /** A random day of `p` (other than `not`) whose length index passes `ok`, or -1. */
  private pickDay(p: number, ok: (index: number) => boolean, not: number): number {
    const D = this.c.days;
    let pick = -1;
    let ties = 0;
    for (let d = 0; d < D; d++) if (d !== not && ok(p * D + d) && this.rng.int(++ties) === 0) pick = d;
    return pick;
  }
}

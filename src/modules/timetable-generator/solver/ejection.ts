import type { Compiled } from './compile.js';
import type { Rng } from './rng.js';
import { DayShapes } from './shapes.js';
import type { State } from './state.js';

export interface EjectionOptions {
  /** Stops (returning false) when this returns true; asked every 64 steps. */
  outOfTime: () => boolean;
  maxSteps: number;
}

/**
 * Builds a timetable the way FET does, by recursive swapping (an ejection chain): the timetable
 * is kept free of clashes and the activities not on it wait on a stack, hardest on top. The top
 * one goes to the start slot whose placement displaces the cheapest set of placed activities
 * (those sharing a person or the room in its hours, hard min-days partners too close, and
 * activities of a person whose daily or gap limits it would break); the displaced ones go back on
 * the stack and are re-placed next. A displaced activity may not return to the slot it left for a
 * while (tabu), and each displacement makes that activity costlier to displace again, so chains
 * move on instead of cycling. Gaps and late beginnings are read relaxed (`State.setRelaxed`)
 * while hours are left to place; after restarts, compact people may keep to day shapes (shapes.ts).
 */
export class EjectionSearch {
  private readonly c: Compiled;
  private readonly st: State;
  private readonly rng: Rng;
  /** The activity holding person `p` at slot `s` (`owner[p * slots + s]`), -1 for none. */
  private readonly owner: Int32Array;
  private readonly roomOwner: Int32Array;
  private readonly tabu: Int32Array;
  private readonly ejected: Float64Array;
  private readonly stamp: Int32Array;
  private stampNow = 0;
  private readonly stack: Int32Array;
  private stackSize = 0;
  private readonly impossible: number[] = [];
  private readonly set: Int32Array;
  private setSize = 0;
  private readonly saveStart: Int32Array;
  private readonly saveRoom: Int32Array;
  private baseline = 0;
  steps = 0;
  bestUnplaced = Infinity;
  private bestStep = 0;
  readonly bestStart: Int32Array;
  readonly bestRoom: Int32Array;
  private readonly shapes: DayShapes;

  constructor(c: Compiled, st: State, rng: Rng) {
    this.c = c;
    this.st = st;
    this.rng = rng;
    this.owner = new Int32Array(c.people * c.slots).fill(-1);
    this.roomOwner = new Int32Array(c.rooms * c.slots).fill(-1);
    this.tabu = new Int32Array(c.activities * c.slots);
    this.ejected = new Float64Array(c.activities);
    this.stamp = new Int32Array(c.activities);
    this.stack = new Int32Array(c.activities);
    this.set = new Int32Array(c.activities);
    this.saveStart = new Int32Array(c.activities);
    this.saveRoom = new Int32Array(c.activities);
    this.bestStart = new Int32Array(c.activities).fill(-1);
    this.bestRoom = new Int32Array(c.activities).fill(-1);
    this.shapes = new DayShapes(c, rng);
  }

  /**
   * Places the activities of `order` (hardest first) on a timetable holding only the fixed ones.
   * True when every activity with a start domain got placed with no hard violation beyond those
   * among the fixed ones; otherwise the best partial timetable is in `bestStart`/`bestRoom`.
   */
  run(order: ArrayLike<number>, opt: EjectionOptions): boolean {
    const c = this.c;
    const st = this.st;
    st.setRelaxed(true);
    for (let a = 0; a < c.activities; a++) if (st.start[a]! >= 0) this.mark(a, a);
    this.baseline = st.hard;
    for (let i = order.length - 1; i >= 0; i--) this.stack[this.stackSize++] = order[i]!;
    this.record();
    let done = false;
    let runBest = Infinity;
    let runBestStep = 0;
    let patience = 10 * c.activities;
    while (true) {
      // Activities left out while the day shapes are on may fit without them or with other shapes.
      if (this.stackSize === 0 && (this.impossible.length === 0 || !this.shapes.on)) {
        done = true;
        break;
      }
      if ((this.steps & 63) === 0 && opt.outOfTime()) break;
      if (this.steps >= opt.maxSteps) break;
      const waiting = this.stackSize + this.impossible.length;
      if (waiting < runBest && this.stackSize > 0) {
        runBest = waiting;
        runBestStep = this.steps;
      } else if (this.stackSize === 0 || this.steps - runBestStep > patience) {
        // A restart from the empty timetable, with a doubled patience each time (seeds differ in
        // where they get stuck: Craiova seeds 2 and 3 stayed at 16-27 left for 20 s without).
        this.restart(order);
        runBest = Infinity;
        patience *= 2;
        continue;
      }
      this.steps++;
      // After a long stretch without a new best, half the time the next activity is any waiting
      // one rather than the last displaced: a pure chain (LIFO) can walk the same few holes around
      // a packed week (Brazil: stuck at 3-4 left), while it is the faster way in (Craiova).
      let a: number;
      if (this.steps - this.bestStep > this.c.activities && this.rng.next() < 0.5) {
        const i = this.rng.int(this.stackSize);
        a = this.stack[i]!;
        this.stack[i] = this.stack[--this.stackSize]!;
      } else a = this.stack[--this.stackSize]!;
      if (!this.placeWithEjection(a)) this.impossible.push(a);
      if (this.stackSize + this.impossible.length < this.bestUnplaced) this.record();
    }
    st.setRelaxed(false);
    return done && this.impossible.length === 0;
  }

  /** Starts again from the fixed activities only, with day shapes on or off (shapes.ts); back on, they change for the people of the activities still waiting. */
  private restart(order: ArrayLike<number>): void {
    const c = this.c;
    if (this.shapes.toggle()) {
      for (let i = 0; i < this.stackSize; i++) this.shapes.perturb(this.stack[i]!);
      for (const a of this.impossible) this.shapes.perturb(a);
    }
    for (let a = 0; a < c.activities; a++) if (!c.fixed[a] && this.st.start[a]! >= 0) this.take(a);
    this.ejected.fill(0);
    this.tabu.fill(0);
    this.impossible.length = 0;
    this.stackSize = 0;
    for (let i = order.length - 1; i >= 0; i--) this.stack[this.stackSize++] = order[i]!;
    this.bestStep = this.steps;
  }

  private record(): void {
    this.bestStep = this.steps;
    this.bestUnplaced = this.stackSize + this.impossible.length;
    this.bestStart.set(this.st.start);
    this.bestRoom.set(this.st.room);
  }

  private mark(a: number, value: number): void {
    const c = this.c;
    const S = c.slots;
    const s = this.st.start[a]!;
    const dur = c.duration[a]!;
    for (let i = c.actPeopleStart[a]!, e = c.actPeopleStart[a + 1]!; i < e; i++) {
      const base = c.actPeople[i]! * S + s;
      for (let k = 0; k < dur; k++) if (value >= 0 || this.owner[base + k] === a) this.owner[base + k] = value;
    }
    const r = this.st.room[a]!;
    if (r >= 0) {
      const base = r * S + s;
      for (let k = 0; k < dur; k++) if (value >= 0 || this.roomOwner[base + k] === a) this.roomOwner[base + k] = value;
    }
  }

  private put(a: number, s: number, r: number): void {
    this.st.place(a, s, r);
    this.mark(a, a);
  }

  private take(a: number): void {
    this.mark(a, -1);
    this.st.unplace(a);
  }

  /** Adds `b` to the displaced set; false when `b` is pinned. */
  private addToSet(b: number): boolean {
    if (this.stamp[b] === this.stampNow) return true;
    if (this.c.fixed[b]) return false;
    this.stamp[b] = this.stampNow;
    this.set[this.setSize++] = b;
    return true;
  }

  /** The activities `a` at `s` would displace (people, hard min-days partners) into `set`, and the cost; -1 when a pinned one is in the way. */
  private clashes(a: number, s: number): number {
    const c = this.c;
    const S = c.slots;
    const dur = c.duration[a]!;
    this.stampNow++;
    this.setSize = 0;
    let cost = 0;
    for (let i = c.actPeopleStart[a]!, e = c.actPeopleStart[a + 1]!; i < e; i++) {
      const base = c.actPeople[i]! * S + s;
      for (let k = 0; k < dur; k++) {
        const b = this.owner[base + k]!;
        if (b < 0 || this.stamp[b] === this.stampNow) continue;
        if (!this.addToSet(b)) return -1;
        cost += 1 + this.ejected[b]!;
      }
    }
    const day = (s / c.hours) | 0;
    for (let i = c.partnerStart[a]!, e = c.partnerStart[a + 1]!; i < e; i++) {
      if (c.partnerWeight[i]! < 100) continue;
      const b = c.partner[i]!;
      const sb = this.st.start[b]!;
      if (sb < 0 || Math.abs(((sb / c.hours) | 0) - day) >= c.partnerDays[i]! || this.stamp[b] === this.stampNow) continue;
      if (!this.addToSet(b)) return -1;
      cost += 1 + this.ejected[b]!;
    }
    return cost;
  }

  /** The room for `a` at `s` with the cheapest occupants not already displaced (-1: none needed or roomless allowed), and its cost; cost -1 when no room can be had. */
  private roomChoice(a: number, s: number): { room: number; cost: number } {
    const c = this.c;
    const rs = c.actRoomsStart[a]!;
    const re = c.actRoomsStart[a + 1]!;
    if (rs === re) return { room: -1, cost: 0 };
    if (c.fixed[a] && c.fixedRoom[a]! >= 0) return { room: c.fixedRoom[a]!, cost: 0 };
    const S = c.slots;
    const dur = c.duration[a]!;
    let best = -1;
    let bestCost = Infinity;
    let ties = 0;
    for (let i = rs; i < re; i++) {
      const r = c.actRooms[i]!;
      let cost = 0;
      for (let k = 0; k < dur && cost < Infinity; k++) {
        const x = r * S + s + k;
        if (c.roomBlockedHard[x]) cost = Infinity;
        const b = this.roomOwner[x]!;
        if (b >= 0 && this.stamp[b] !== this.stampNow) cost += c.fixed[b] ? Infinity : 1 + this.ejected[b]!;
      }
      if (cost < bestCost) {
        best = r;
        bestCost = cost;
        ties = 1;
      } else if (cost === bestCost && cost < Infinity && this.rng.int(++ties) === 0) {
        best = r;
      }
    }
    if (bestCost > 0 && !c.roomHard[a]) return { room: -1, cost: 0 };
    return bestCost === Infinity ? { room: -1, cost: -1 } : { room: best, cost: bestCost };
  }

  private displaceRoom(r: number, s: number, dur: number): void {
    const S = this.c.slots;
    for (let k = 0; k < dur; k++) {
      const b = this.roomOwner[r * S + s + k]!;
      if (b >= 0) this.addToSet(b);
    }
  }

  private placeWithEjection(a: number): boolean {
    const c = this.c;
    const st = this.st;
    const S = c.slots;
    const dur = c.duration[a]!;
    let bestS = -1;
    let bestR = -1;
    let bestCost = Infinity;
    let bestSoft = Infinity;
    let ties = 0;
    for (let pass = 0; pass < 2 && bestS < 0; pass++) {
      for (let i = c.domainStart[a]!, e = c.domainStart[a + 1]!; i < e; i++) {
        const s = c.domain[i]!;
        if ((pass === 0 && this.tabu[a * S + s]! > this.steps) || !this.shapes.fits(a, s)) continue;
        let cost = this.clashes(a, s);
        if (cost < 0 || cost > bestCost) continue;
        const rc = this.roomChoice(a, s);
        if (rc.cost < 0) continue;
        cost += rc.cost;
        if (cost > bestCost) continue;
        if (rc.room >= 0) this.displaceRoom(rc.room, s, dur);
        // Place for real to read the limits (relaxed) and the soft penalty, then undo.
        const n = this.setSize;
        for (let j = 0; j < n; j++) {
          const b = this.set[j]!;
          this.saveStart[j] = st.start[b]!;
          this.saveRoom[j] = st.room[b]!;
          st.unplace(b);
        }
        st.place(a, s, rc.room);
        const extra = st.hard - this.baseline;
        const soft = st.soft;
        st.unplace(a);
        for (let j = 0; j < n; j++) st.place(this.set[j]!, this.saveStart[j]!, this.saveRoom[j]!);
        cost += extra * 2;
        if (cost < bestCost || (cost === bestCost && soft < bestSoft)) {
          bestCost = cost;
          bestSoft = soft;
          bestS = s;
          bestR = rc.room;
          ties = 1;
        } else if (cost === bestCost && soft === bestSoft && this.rng.int(++ties) === 0) {
          bestS = s;
          bestR = rc.room;
        }
      }
    }
    if (bestS < 0) return false;
    this.clashes(a, bestS);
    if (bestR >= 0) this.displaceRoom(bestR, bestS, dur);
    for (let j = 0; j < this.setSize; j++) this.eject(this.set[j]!);
    this.put(a, bestS, bestR);
    this.repairLimits(a, bestS);
    return true;
  }

  private eject(b: number): void {
    const s = this.st.start[b]!;
    this.tabu[b * this.c.slots + s] = this.steps + 10 + this.rng.int(10);
    this.ejected[b] = this.ejected[b]! + 0.5;
    this.take(b);
    this.stack[this.stackSize++] = b;
  }

  /**
   * Displaces activities of `a`'s people whose limits `a` breaks, until none is broken: for too
   * many days, one of the least used other day; for a too-long day, one of that day's; otherwise (gaps, late beginnings) the first or
   * last activity of a day, which never opens a new gap (FET does the same), and one next to a gap
   * when there is one, which closes it. For compact people any block's first or last activity still
   * qualifies (a late beginning may need one after a free hour taken; the strict rule failed the
   * compact-classes test). Before, a teacher's block after a gap qualified too, whose removal widens
   * the gap: Germany/secondary_school (teachers' max 3 gaps a week), seed 1, is built in 236k steps
   * now and not in 2.5M before; seed 3 not within 1M either way; seed 2 in 1.1M before.
   */
  private repairLimits(a: number, s: number): void {
    const c = this.c;
    const st = this.st;
    const H = c.hours;
    const S = c.slots;
    const day = (s / H) | 0;
    for (let guard = 0; st.hard > this.baseline && guard < 64; guard++) {
      let person = -1;
      for (let i = c.actPeopleStart[a]!, e = c.actPeopleStart[a + 1]!; i < e; i++) {
        if (st.personHard[c.actPeople[i]!]! > 0) {
          person = c.actPeople[i]!;
          break;
        }
      }
      if (person < 0) return;
      const D = c.days;
      let longDay = false;
      let fewestDay = -1;
      for (let l = c.limitStart[person]!, e = c.limitStart[person + 1]!; l < e; l++) {
        if (c.limitWeight[l]! < 100) continue;
        if (c.limitKind[l] === 0 && st.dayHours[person * D + day]! > c.limitValue[l]!) longDay = true;
        if (c.limitKind[l] === 3) {
          let used = 0;
          for (let d = 0; d < D; d++) {
            const hoursOfDay = st.dayHours[person * D + d]!;
            if (hoursOfDay === 0) continue;
            used++;
            if (d !== day && (fewestDay < 0 || hoursOfDay < st.dayHours[person * D + fewestDay]!)) fewestDay = d;
          }
          if (used <= c.limitValue[l]!) fewestDay = -1;
        }
      }
      let pick = -1;
      let ties = 0;
      let pickGap = false;
      for (let i = c.personActsStart[person]!, e = c.personActsStart[person + 1]!; i < e; i++) {
        const b = c.personActs[i]!;
        const sb = st.start[b]!;
        if (b === a || sb < 0 || c.fixed[b]) continue;
        const db = (sb / H) | 0;
        if (fewestDay >= 0) {
          if (db !== fewestDay) continue;
        } else if (longDay) {
          if (db !== day) continue;
        } else {
          const end = sb + c.duration[b]!;
          // Only the day's first or last activity (taking it opens no gap); next to a gap, taking it
          // closes that gap, so those go first.
          const dayStart = person * S + db * H;
          let before = false;
          for (let x = dayStart; x < person * S + sb; x++) if (st.occ[x]! > 0) before = true;
          let after = false;
          for (let x = person * S + end; x < dayStart + H; x++) if (st.occ[x]! > 0) after = true;
          if (c.compact[person]) {
            // A compact person's late beginning may need a block after a free hour taken instead.
            const first = sb % H === 0 || st.occ[person * S + sb - 1] === 0;
            const last = end % H === 0 || st.occ[person * S + end] === 0;
            if (!first && !last) continue;
          } else if (before && after) continue;
          const gap = !c.compact[person] && ((!before && after && st.occ[person * S + end] === 0) || (!after && before && st.occ[person * S + sb - 1] === 0));
          if (gap && !pickGap) {
            pickGap = true;
            ties = 0;
          } else if (!gap && pickGap) continue;
        }
        if (this.rng.int(++ties) === 0) pick = b;
      }
      if (pick < 0) return;
      this.eject(pick);
    }
  }
}

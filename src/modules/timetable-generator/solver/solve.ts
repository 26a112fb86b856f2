import { compile, type Compiled } from './compile.js';
import type { Assignment, Problem } from './problem.js';
import { EjectionSearch } from './ejection.js';
import { Rng } from './rng.js';
import { State } from './state.js';

export interface Progress {
  placed: number;
  total: number;
  hardViolations: number;
  softPenalty: number;
  elapsedMs: number;
}

export interface SolveOptions {
  timeLimitMs: number;
  seed?: number;
  onProgress?: (progress: Progress) => void;
  progressIntervalMs?: number;
  /** Stop as soon as a timetable without hard violations is found (no soft polishing). */
  stopAtFirstFeasible?: boolean;
  /**
   * The polishing after the first timetable with no hard violation stops when the moves since the
   * best timetable last improved reach half the moves it took to get there from the first, and at
   * least this many (default 2 per activity, at least 1,000). Demo school: the same soft penalty
   * as with the whole stretch, in 10-15% fewer moves.
   */
  softStallMoves?: number;
  /** An upper bound on moves: with it, a run that ends by this bound is fully reproducible. */
  maxMoves?: number;
  /** Return the best timetable as found, hard violations included, instead of leaving activities out. */
  keepViolations?: boolean;
}

export interface SolveResult {
  assignment: Assignment;
  /** Activity indices left out so that the rest has no hard violation. */
  unplaced: number[];
  hard: number;
  soft: number;
  /** Milliseconds to the first timetable with every activity placed and no hard violation, or null. */
  firstFeasibleMs: number | null;
  /** The soft penalty of that first timetable, before polishing. */
  firstFeasibleSoft: number | null;
  elapsedMs: number;
  moves: number;
}

/**
 * The share of moves in a timetable with no hard violation that are Kempe chains (demo school:
 * soft 1,400-2,200 at 0, 700-950 at 0.6; 0.8 took twice as long for little more), and the longest chain.
 */
const KEMPE_SHARE = 0.6;
const KEMPE_MAX = 32;

export function solve(problem: Problem, options: SolveOptions): SolveResult {
  const c = compile(problem);
  return new Search(c, options).run();
}

class Search {
  private readonly c: Compiled;
  private readonly st: State;
  private readonly rng: Rng;
  private readonly opt: SolveOptions;
  private readonly t0 = performance.now();
  private readonly tabu: Int32Array;
  /** 1 when slot `s` is in the start domain of `a`: `allowed[a * slots + s]`. */
  private readonly allowed: Uint8Array;
  private readonly list: Int32Array;
  private listSize = 0;
  private readonly movable: Int32Array;
  private readonly rescanEvery: number;
  private readonly bestStart: Int32Array;
  private readonly bestRoom: Int32Array;
  /** The Kempe chain being built (`kempe`): its activities, their slots and rooms before the flip. */
  private readonly chain = new Int32Array(KEMPE_MAX);
  private readonly chainFrom = new Int32Array(KEMPE_MAX);
  private readonly chainRoom = new Int32Array(KEMPE_MAX);
  private readonly chainMark: Int32Array;
  private chainStamp = 0;
  private chainSize = 0;
  private bestHard = Infinity;
  private bestSoft = Infinity;
  private firstFeasibleMs: number | null = null;
  private firstFeasibleSoft: number | null = null;
  /** The best candidate of the neighbourhood being scanned (lexicographic: hard, then soft; random among ties). */
  private candHard = Infinity;
  private candSoft = Infinity;
  private candTies = 0;
  private moves = 0;
  private lastProgress = 0;

  constructor(c: Compiled, opt: SolveOptions) {
    this.c = c;
    this.opt = opt;
    this.st = new State(c);
    this.rng = new Rng(opt.seed ?? 1);
    this.tabu = new Int32Array(c.activities * c.slots);
    this.list = new Int32Array(c.activities);
    this.allowed = new Uint8Array(c.activities * c.slots);
    for (let a = 0; a < c.activities; a++) {
      for (let i = c.domainStart[a]!; i < c.domainStart[a + 1]!; i++) this.allowed[a * c.slots + c.domain[i]!] = 1;
    }
    const movable: number[] = [];
    for (let a = 0; a < c.activities; a++) {
      if (!c.fixed[a] && c.domainStart[a + 1]! - c.domainStart[a]! > 0) movable.push(a);
    }
    this.movable = Int32Array.from(movable);
    this.rescanEvery = Math.max(64, c.activities >> 3);
    this.bestStart = new Int32Array(c.activities).fill(-1);
    this.bestRoom = new Int32Array(c.activities).fill(-1);
    this.chainMark = new Int32Array(c.activities);
  }

  private elapsed(): number {
    return performance.now() - this.t0;
  }

  run(): SolveResult {
    const built = this.construct();
    this.record();
    this.progress(true);
    const floor = this.opt.softStallMoves ?? Math.max(1_000, 2 * this.c.activities);
    const maxMoves = this.opt.maxMoves ?? Infinity;
    let polishFrom = -1;
    let lastGain = 0;
    while (built && this.moves < maxMoves && this.movable.length > 0) {
      if ((this.moves & 63) === 0) {
        if (this.elapsed() >= this.opt.timeLimitMs) break;
        this.progress(false);
      }
      if (this.bestHard === 0) {
        if (polishFrom < 0) {
          polishFrom = lastGain = this.moves;
          this.firstFeasibleMs = this.elapsed();
          this.firstFeasibleSoft = this.bestSoft;
        }
        if (this.opt.stopAtFirstFeasible || this.bestSoft === 0 || this.moves - lastGain >= Math.max(floor, (lastGain - polishFrom) / 2)) break;
      }
      const a = this.pick();
      if (a < 0) continue;
      const r = this.rng.next();
      if (this.st.hard === 0 && r < KEMPE_SHARE ? !this.kempe(a) : r < 0.5 || !this.swap(a)) this.move(a);
      this.moves++;
      if (this.record()) lastGain = this.moves;
    }
    this.restoreBest();
    if (this.opt.keepViolations) for (const a of this.movable) if (this.st.start[a]! < 0) this.placeBest(a, false);
    const unplaced = this.opt.keepViolations ? [] : this.dropViolations();
    this.progress(true);
    return {
      assignment: { start: Int32Array.from(this.st.start), room: Int32Array.from(this.st.room) },
      unplaced,
      hard: this.st.hard,
      soft: this.st.soft,
      firstFeasibleMs: this.firstFeasibleMs,
      firstFeasibleSoft: this.firstFeasibleSoft,
      elapsedMs: this.elapsed(),
      moves: this.moves,
    };
  }

  /**
   * The start: hardest activities first (smallest domain, then most people-hours), placed by
   * recursive swapping (`EjectionSearch`). False when the time or move limit ended it first; the
   * state then holds the best partial timetable (no hard violation, some activities off the grid).
   */
  private construct(): boolean {
    const c = this.c;
    for (let a = 0; a < c.activities; a++) {
      if (c.fixed[a]) this.st.place(a, c.fixedSlot[a]!, this.st.bestRoom(a, c.fixedSlot[a]!));
    }
    const order = Array.from(this.movable);
    const key = (a: number) => c.domainStart[a + 1]! - c.domainStart[a]!;
    const weight = (a: number) => (c.actPeopleStart[a + 1]! - c.actPeopleStart[a]!) * c.duration[a]!;
    const tie = new Float64Array(c.activities).map(() => this.rng.next());
    order.sort((x, y) => key(x) - key(y) || weight(y) - weight(x) || tie[x]! - tie[y]!);
    const ejection = new EjectionSearch(c, this.st, this.rng);
    const built = ejection.run(order, {
      outOfTime: () => {
        this.progress(false);
        return this.elapsed() >= this.opt.timeLimitMs;
      },
      maxSteps: this.opt.maxMoves ?? Infinity,
    });
    this.moves += ejection.steps;
    if (!built) {
      for (let a = 0; a < c.activities; a++) this.st.unplace(a);
      for (let a = 0; a < c.activities; a++) if (ejection.bestStart[a]! >= 0) this.st.place(a, ejection.bestStart[a]!, ejection.bestRoom[a]!);
    }
    return built;
  }

  private pick(): number {
    const st = this.st;
    if (st.hard > 0) {
      // The list is lazy (activities leave it when picked and found clean), so it is rebuilt now and
      // then: otherwise newly violating activities would wait behind ones that cannot move.
      if (this.listSize === 0 || this.moves % this.rescanEvery === 0) {
        this.listSize = 0;
        for (const a of this.movable) if (st.inViolation(a)) this.list[this.listSize++] = a;
        if (this.listSize === 0) return this.movable[this.rng.int(this.movable.length)]!;
      }
      const i = this.rng.int(this.listSize);
      const a = this.list[i]!;
      if (!st.inViolation(a)) {
        this.list[i] = this.list[--this.listSize]!;
        return -1;
      }
      return a;
    }
    this.listSize = 0;
    return this.movable[this.rng.int(this.movable.length)]!;
  }

  /** Moves `a` to its best non-tabu slot (tabu is overridden when the move beats the best timetable). */
  private move(a: number): void {
    const old = this.st.start[a]!;
    this.placeBest(a, true);
    const s = this.st.start[a]!;
    if (s !== old) {
      this.tabu[a * this.c.slots + old] = this.moves + 5 + this.rng.int(10) + ((this.listSize * 0.3) | 0);
    }
  }

  /**
   * Swaps `a` with the activity of one of its people (same duration) whose exchange scores best:
   * the person's week stays filled the same way, which single moves cannot do in a tight week.
   */
  private swap(a: number): boolean {
    const c = this.c;
    const st = this.st;
    const S = c.slots;
    const np = c.actPeopleStart[a + 1]! - c.actPeopleStart[a]!;
    if (np === 0) return false;
    const p = c.actPeople[c.actPeopleStart[a]! + this.rng.int(np)]!;
    const sa = st.start[a]!;
    const ra = st.room[a]!;
    let best = -1;
    this.resetCandidates();
    for (let i = c.personActsStart[p]!, e = c.personActsStart[p + 1]!; i < e; i++) {
      const b = c.personActs[i]!;
      const sb = st.start[b]!;
      if (b === a || sb < 0 || sb === sa || c.fixed[b] || c.duration[b] !== c.duration[a]) continue;
      if (!this.allowed[a * S + sb] || !this.allowed[b * S + sa]) continue;
      const rb = st.room[b]!;
      st.unplace(a);
      st.unplace(b);
      st.place(a, sb, st.bestRoom(a, sb));
      st.place(b, sa, st.bestRoom(b, sa));
      const h = st.hard;
      const so = st.soft;
      st.unplace(a);
      st.unplace(b);
      st.place(a, sa, ra);
      st.place(b, sb, rb);
      const aspiration = h < this.bestHard || (h === this.bestHard && so < this.bestSoft);
      if (!aspiration && (this.tabu[a * S + sb]! > this.moves || this.tabu[b * S + sa]! > this.moves)) continue;
      if (this.isBestCandidate(h, so)) best = b;
    }
    if (best < 0) return false;
    const sb = st.start[best]!;
    st.unplace(a);
    st.unplace(best);
    st.place(a, sb, st.bestRoom(a, sb));
    st.place(best, sa, st.bestRoom(best, sa));
    const tenure = this.moves + 5 + this.rng.int(10) + ((this.listSize * 0.3) | 0);
    this.tabu[a * S + sa] = tenure;
    this.tabu[best * S + sb] = tenure;
    return true;
  }

  /**
   * Adds `x` (moving from slot `from` to `to`) to the chain, then whatever of its people's
   * activities stand at `to` (moving the other way), and so on; false when the chain cannot be
   * made (a fixed or partly overlapping activity, a start outside a domain, too long).
   */
  private grow(x: number, from: number, to: number, dur: number): boolean {
    const c = this.c;
    const st = this.st;
    if (this.chainMark[x] === this.chainStamp) return true;
    if (c.fixed[x] || c.duration[x] !== dur || !this.allowed[x * c.slots + to] || this.chainSize === this.chain.length) return false;
    this.chainMark[x] = this.chainStamp;
    this.chain[this.chainSize++] = x;
    for (let i = c.actPeopleStart[x]!, e = c.actPeopleStart[x + 1]!; i < e; i++) {
      const base = c.actPeople[i]! * c.slots + to;
      for (let k = 0; k < dur; k++) {
        const o = st.occ[base + k]!;
        if (o === 0) continue;
        const y = st.actSum[base + k]! - 1;
        if (o > 1 || st.start[y] !== to || !this.grow(y, to, from, dur)) return false;
      }
    }
    return true;
  }

  /** Builds the chain of `a` moving from `sa` to `sb`; false when there is none. */
  private chainFor(a: number, sa: number, sb: number): boolean {
    this.chainStamp++;
    this.chainSize = 0;
    return this.grow(a, sa, sb, this.c.duration[a]!);
  }

  /** Moves every activity of the chain to the other of the two slots (`a` at `sa` and `sb`), keeping rooms. */
  private flipChain(sa: number, sb: number): void {
    const st = this.st;
    for (let i = 0; i < this.chainSize; i++) {
      const x = this.chain[i]!;
      this.chainRoom[i] = st.room[x]!;
      this.chainFrom[i] = st.start[x]!;
      st.unplace(x);
    }
    for (let i = 0; i < this.chainSize; i++) st.place(this.chain[i]!, this.chainFrom[i] === sa ? sb : sa, this.chainRoom[i]!);
  }

  /**
   * A Kempe chain move for `a` in a timetable with no hard violation: to its best other start
   * `sb`, with every activity of its people at `sb` moving to `a`'s start and so on until the two
   * slots' activities no longer clash. It keeps the timetable free of clashes, so it can spread a
   * subject's lessons over the week where a single move or swap would need a clash first. Only
   * chains that keep every hard constraint are taken; false when there is none.
   */
  private kempe(a: number): boolean {
    const c = this.c;
    const st = this.st;
    const S = c.slots;
    const sa = st.start[a]!;
    let bestB = -1;
    this.resetCandidates();
    for (let i = c.domainStart[a]!, e = c.domainStart[a + 1]!; i < e; i++) {
      const sb = c.domain[i]!;
      if (sb === sa) continue;
      if (!this.chainFor(a, sa, sb)) continue;
      this.flipChain(sa, sb);
      const h = st.hard;
      const so = st.soft;
      this.flipChain(sa, sb);
      if (h > 0) continue;
      if (this.tabu[a * S + sb]! > this.moves && !(so < this.bestSoft)) continue;
      if (this.isBestCandidate(h, so)) bestB = sb;
    }
    if (bestB < 0) return false;
    this.chainFor(a, sa, bestB);
    this.flipChain(sa, bestB);
    this.tabu[a * S + sa] = this.moves + 5 + this.rng.int(10);
    return true;
  }

  private resetCandidates(): void {
    this.candHard = Infinity;
    this.candSoft = Infinity;
    this.candTies = 0;
  }

  private isBestCandidate(h: number, so: number): boolean {
    if (h < this.candHard || (h === this.candHard && so < this.candSoft)) {
      this.candHard = h;
      this.candSoft = so;
      this.candTies = 1;
      return true;
    }
    return h === this.candHard && so === this.candSoft && this.rng.int(++this.candTies) === 0;
  }

  private placeBest(a: number, useTabu: boolean): void {
    const c = this.c;
    const st = this.st;
    const old = st.start[a]!;
    st.unplace(a);
    let bestS = -1;
    let bestR = -1;
    this.resetCandidates();
    for (let i = c.domainStart[a]!, e = c.domainStart[a + 1]!; i < e; i++) {
      const s = c.domain[i]!;
      if (useTabu && s === old) continue;
      const r = st.bestRoom(a, s);
      st.place(a, s, r);
      const h = st.hard;
      const so = st.soft;
      st.unplace(a);
      if (useTabu && this.tabu[a * c.slots + s]! > this.moves && !(h < this.bestHard || (h === this.bestHard && so < this.bestSoft))) continue;
      if (this.isBestCandidate(h, so)) {
        bestS = s;
        bestR = r;
      }
    }
    if (bestS < 0) {
      bestS = old >= 0 ? old : c.domain[c.domainStart[a]!]!;
      bestR = st.bestRoom(a, bestS);
    }
    st.place(a, bestS, bestR);
  }

  private record(): boolean {
    const st = this.st;
    if (st.hard < this.bestHard || (st.hard === this.bestHard && st.soft < this.bestSoft)) {
      this.bestHard = st.hard;
      this.bestSoft = st.soft;
      this.bestStart.set(st.start);
      this.bestRoom.set(st.room);
      return true;
    }
    return false;
  }

  private restoreBest(): void {
    const st = this.st;
    for (let a = 0; a < this.c.activities; a++) st.unplace(a);
    for (let a = 0; a < this.c.activities; a++) {
      if (this.bestStart[a]! >= 0) st.place(a, this.bestStart[a]!, this.bestRoom[a]!);
    }
  }

  /** Leaves out, one at a time, the activity whose removal removes the most hard violations. */
  private dropViolations(): number[] {
    const st = this.st;
    const c = this.c;
    const dropped: number[] = [];
    for (let a = 0; a < c.activities; a++) if (st.start[a]! < 0) dropped.push(a);
    while (st.hard > 0) {
      let best = -1;
      let bestGain = -Infinity;
      for (let a = 0; a < c.activities; a++) {
        if (!st.inViolation(a)) continue;
        const s = st.start[a]!;
        const r = st.room[a]!;
        const before = st.hard;
        st.unplace(a);
        const gain = before - st.hard;
        st.place(a, s, r);
        if (gain > bestGain) {
          bestGain = gain;
          best = a;
        }
      }
      if (best < 0) break;
      st.unplace(best);
      dropped.push(best);
    }
    return dropped.sort((x, y) => x - y);
  }

  private progress(force: boolean): void {
    const cb = this.opt.onProgress;
    if (!cb) return;
    const now = this.elapsed();
    if (!force && now - this.lastProgress < (this.opt.progressIntervalMs ?? 500)) return;
    this.lastProgress = now;
    let placed = 0;
    for (let a = 0; a < this.c.activities; a++) if (this.st.start[a]! >= 0 && !this.st.inViolation(a)) placed++;
    cb({ placed, total: this.c.activities, hardViolations: this.st.hard, softPenalty: this.st.soft, elapsedMs: Math.round(now) });
  }
}

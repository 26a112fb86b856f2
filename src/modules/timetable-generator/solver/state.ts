import type { Compiled } from './compile.js';

/**
 * The incremental scorer: occupancy arrays plus per person-day statistics, updated by `place` and
 * `unplace` so that a move costs work proportional to the activity's people, days and partners.
 * `hard` counts hard violations; `soft` is the weighted sum of soft ones.
 */
export class State {
  readonly c: Compiled;
  readonly start: Int32Array;
  readonly room: Int32Array;
  readonly occ: Int16Array;
  readonly roomOcc: Int16Array;
  readonly dayHours: Int16Array;
  readonly dayGaps: Int16Array;
  /** Free, non-blocked hours before the first lesson of the day (-1 on a day without lessons). */
  readonly dayLate: Int16Array;
  /** Room changes of a person's day (see `maxRoomChangesPerDay`), kept for people with that limit. */
  readonly dayChanges: Int16Array;
  /** Per person-slot, the sum of its activities' indices + 1 there: the activity itself where `occ` is 1. */
  readonly actSum: Int32Array;
  /** Per person-slot, the sum over its activities there of their place + 1: the place itself when there is one activity. */
  private readonly placeSum: Int32Array;
  private readonly tracksPlaces: Uint8Array;
  readonly personHard: Float64Array;
  readonly personSoft: Float64Array;
  /** Hours of each person's activities not on the grid. */
  readonly unplacedHours: Int32Array;
  /**
   * While a timetable is being built, a person's gaps and late beginnings may still be filled by
   * the hours they have left to place: with `relaxed`, those limits count only the excess over the
   * unplaced hours (exact once every activity is placed).
   */
  private relaxed = false;
  hard = 0;
  soft = 0;
  placed = 0;

  constructor(c: Compiled) {
    this.c = c;
    this.start = new Int32Array(c.activities).fill(-1);
    this.room = new Int32Array(c.activities).fill(-1);
    this.occ = new Int16Array(c.people * c.slots);
    this.roomOcc = new Int16Array(c.rooms * c.slots);
    this.dayHours = new Int16Array(c.people * c.days);
    this.dayGaps = new Int16Array(c.people * c.days);
    this.dayLate = new Int16Array(c.people * c.days).fill(-1);
    this.dayChanges = new Int16Array(c.people * c.days);
    this.actSum = new Int32Array(c.people * c.slots);
    this.placeSum = new Int32Array(c.people * c.slots);
    this.tracksPlaces = new Uint8Array(c.people);
    for (let p = 0; p < c.people; p++) {
      for (let l = c.limitStart[p]!, e = c.limitStart[p + 1]!; l < e; l++) if (c.limitKind[l] === 5) this.tracksPlaces[p] = 1;
    }
    this.personHard = new Float64Array(c.people);
    this.personSoft = new Float64Array(c.people);
    this.unplacedHours = new Int32Array(c.people);
    for (let a = 0; a < c.activities; a++) {
      for (let i = c.actPeopleStart[a]!, e = c.actPeopleStart[a + 1]!; i < e; i++) {
        const p = c.actPeople[i]!;
        this.unplacedHours[p] = this.unplacedHours[p]! + c.duration[a]!;
      }
    }
  }

  /** Switches the relaxed reading of gaps and late beginnings (see `relaxed`) on or off, rescoring every person. */
  setRelaxed(relaxed: boolean): void {
    if (relaxed === this.relaxed) return;
    this.relaxed = relaxed;
    for (let p = 0; p < this.c.people; p++) {
      this.hard -= this.personHard[p]!;
      this.soft -= this.personSoft[p]!;
      this.scorePerson(p);
      this.hard += this.personHard[p]!;
      this.soft += this.personSoft[p]!;
    }
  }

  place(a: number, s: number, r: number): void {
    this.change(a, s, r, 1);
    this.start[a] = s;
    this.room[a] = r;
    this.placed++;
  }

  unplace(a: number): void {
    const s = this.start[a]!;
    if (s < 0) return;
    this.change(a, s, this.room[a]!, -1);
    this.start[a] = -1;
    this.room[a] = -1;
    this.placed--;
  }

  /** Adds (sign 1) or removes (sign -1) activity `a` at slot `s`, room `r`, updating the totals. */
  private change(a: number, s: number, r: number, sign: 1 | -1): void {
    const c = this.c;
    const S = c.slots;
    const H = c.hours;
    const dur = c.duration[a]!;
    const day = (s / H) | 0;
    const occ = this.occ;
    const place = (r >= 0 ? r : c.homePlace[a]!) + 1;
    this.soft += sign * c.startSoft[a * S + s]!;
    for (let i = c.actPeopleStart[a]!, e = c.actPeopleStart[a + 1]!; i < e; i++) {
      const p = c.actPeople[i]!;
      this.hard -= this.personHard[p]!;
      this.soft -= this.personSoft[p]!;
      const base = p * S + s;
      const m = c.multiplicity[p]!;
      this.unplacedHours[p] = this.unplacedHours[p]! - sign * dur;
      for (let k = 0; k < dur; k++) {
        const o = occ[base + k]!;
        this.placeSum[base + k] = this.placeSum[base + k]! + sign * place;
        this.actSum[base + k] = this.actSum[base + k]! + sign * (a + 1);
        if (sign > 0) {
          if (o >= 1) this.hard += m;
          occ[base + k] = o + 1;
        } else {
          if (o >= 2) this.hard -= m;
          occ[base + k] = o - 1;
        }
      }
      this.recomputeDay(p, day);
      this.scorePerson(p);
      this.hard += this.personHard[p]!;
      this.soft += this.personSoft[p]!;
    }
    if (r >= 0) {
      const base = r * S + s;
      for (let k = 0; k < dur; k++) {
        const o = this.roomOcc[base + k]!;
        if (sign > 0) {
          if (o >= 1) this.hard++;
          this.roomOcc[base + k] = o + 1;
        } else {
          if (o >= 2) this.hard--;
          this.roomOcc[base + k] = o - 1;
        }
        this.hard += sign * c.roomBlockedHard[base + k]!;
        this.soft += sign * c.roomBlockedSoft[base + k]!;
      }
    } else if (c.hasRooms[a]) {
      if (c.roomHard[a]) this.hard += sign;
      else this.soft += sign * c.roomWeight[a]!;
    }
    for (let i = c.partnerStart[a]!, e = c.partnerStart[a + 1]!; i < e; i++) {
      const b = c.partner[i]!;
      const sb = this.start[b]!;
      if (sb < 0 || b === a) continue;
      const diff = Math.abs(((sb / H) | 0) - day);
      if (diff < c.partnerDays[i]!) {
        const w = c.partnerWeight[i]!;
        if (w >= 100) this.hard += sign;
        else this.soft += sign * w;
      }
    }
  }

  private recomputeDay(p: number, day: number): void {
    const c = this.c;
    const H = c.hours;
    const base = p * c.slots + day * H;
    let count = 0;
    let first = -1;
    let last = -1;
    for (let h = 0; h < H; h++) {
      if (this.occ[base + h]! > 0) {
        count++;
        if (first < 0) first = h;
        last = h;
      }
    }
    let gaps = 0;
    let late = -1;
    if (first >= 0) {
      for (let h = first + 1; h < last; h++) if (this.occ[base + h] === 0 && !c.personBlocked[base + h]) gaps++;
      late = 0;
      for (let h = 0; h < first; h++) if (!c.personBlocked[base + h]) late++;
    }
    const i = p * c.days + day;
    this.dayHours[i] = count;
    this.dayGaps[i] = gaps;
    this.dayLate[i] = late;
    if (!this.tracksPlaces[p]) return;
    let changes = 0;
    let previous = -1;
    for (let h = first; h >= 0 && h <= last; h++) {
      if (this.occ[base + h] !== 1) continue;
      const place = this.placeSum[base + h]! - 1;
      if (place < 0) continue;
      if (previous >= 0 && place !== previous) changes++;
      previous = place;
    }
    this.dayChanges[i] = changes;
  }

  private scorePerson(p: number): void {
    const c = this.c;
    let hard = 0;
    let soft = 0;
    const D = c.days;
    const budget = this.relaxed ? this.unplacedHours[p]! : 0;
    for (let l = c.limitStart[p]!, e = c.limitStart[p + 1]!; l < e; l++) {
      const v = c.limitValue[l]!;
      let units = 0;
      switch (c.limitKind[l]) {
        case 0:
          for (let d = 0; d < D; d++) units += Math.max(0, this.dayHours[p * D + d]! - v);
          break;
        case 1:
          for (let d = 0; d < D; d++) units += Math.max(0, this.dayGaps[p * D + d]! - v);
          units = Math.max(0, units - budget);
          break;
        case 2: {
          let g = 0;
          for (let d = 0; d < D; d++) g += this.dayGaps[p * D + d]!;
          units = Math.max(0, g - v - budget);
          break;
        }
        case 3: {
          let used = 0;
          for (let d = 0; d < D; d++) if (this.dayHours[p * D + d]! > 0) used++;
          units = Math.max(0, used - v);
          break;
        }
        case 5:
          for (let d = 0; d < D; d++) units += Math.max(0, this.dayChanges[p * D + d]! - v);
          break;
        default: {
          let second = 0;
          for (let d = 0; d < D; d++) {
            const late = this.dayLate[p * D + d]!;
            if (late >= 2) units++;
            else if (late === 1) second++;
          }
          units = Math.max(0, units + Math.max(0, second - v) - budget);
        }
      }
      const w = c.limitWeight[l]!;
      if (w >= 100) hard += units;
      else soft += units * w;
    }
    this.personHard[p] = hard * c.multiplicity[p]!;
    this.personSoft[p] = soft * c.multiplicity[p]!;
  }

  /** True when the activity takes part in a hard violation (a clash, a broken limit of one of its people, a hard min-days pair, a missing room). */
  inViolation(a: number): boolean {
    const c = this.c;
    const s = this.start[a]!;
    if (s < 0) return false;
    const S = c.slots;
    const dur = c.duration[a]!;
    for (let i = c.actPeopleStart[a]!, e = c.actPeopleStart[a + 1]!; i < e; i++) {
      const p = c.actPeople[i]!;
      if (this.personHard[p]! > 0) return true;
      for (let k = 0; k < dur; k++) if (this.occ[p * S + s + k]! > 1) return true;
    }
    const r = this.room[a]!;
    if (r >= 0) {
      for (let k = 0; k < dur; k++) if (this.roomOcc[r * S + s + k]! > 1 || c.roomBlockedHard[r * S + s + k]) return true;
    } else if (c.roomHard[a]) {
      return true;
    }
    const day = (s / c.hours) | 0;
    for (let i = c.partnerStart[a]!, e = c.partnerStart[a + 1]!; i < e; i++) {
      const sb = this.start[c.partner[i]!]!;
      if (sb >= 0 && c.partnerWeight[i]! >= 100 && Math.abs(((sb / c.hours) | 0) - day) < c.partnerDays[i]!) return true;
    }
    return false;
  }

  /** The best room for `a` starting at `s` (fewest clashes, then least soft penalty); -1 for none. */
  bestRoom(a: number, s: number): number {
    const c = this.c;
    const rs = c.actRoomsStart[a]!;
    const re = c.actRoomsStart[a + 1]!;
    if (rs === re) return -1;
    const S = c.slots;
    const dur = c.duration[a]!;
    if (c.fixed[a] && c.fixedRoom[a]! >= 0) return c.fixedRoom[a]!;
    let best = -1;
    let bestHard = c.roomHard[a] ? Infinity : 0;
    let bestSoft = c.roomHard[a] ? 0 : c.roomWeight[a]!;
    for (let i = rs; i < re; i++) {
      const r = c.actRooms[i]!;
      let hard = 0;
      let soft = 0;
      for (let k = 0; k < dur; k++) {
        const x = r * S + s + k;
        hard += this.roomOcc[x]! + c.roomBlockedHard[x]!;
        soft += c.roomBlockedSoft[x]!;
      }
      if (hard < bestHard || (hard === bestHard && soft < bestSoft)) {
        best = r;
        bestHard = hard;
        bestSoft = soft;
      }
    }
    return best;
  }
}

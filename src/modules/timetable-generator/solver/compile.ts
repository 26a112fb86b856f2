import { isHard, type LimitKind, type Problem } from './problem.js';

export const LIMIT_KINDS: readonly LimitKind[] = ['maxHoursDaily', 'maxGapsPerDay', 'maxGapsPerWeek', 'maxDaysPerWeek', 'maxBeginningsAtSecondHour', 'maxRoomChangesPerDay'];

/**
 * The problem in flat typed arrays for the search: each activity's hard start domain, soft
 * start penalties, people, rooms and min-days partners, and each person's limits.
 */
export interface Compiled {
  problem: Problem;
  days: number;
  hours: number;
  slots: number;
  activities: number;
  people: number;
  rooms: number;
  duration: Int32Array;
  /** Activity people, CSR: people of `a` are `actPeople[actPeopleStart[a] .. actPeopleStart[a+1]]`. */
  actPeopleStart: Int32Array;
  actPeople: Int32Array;
  actRoomsStart: Int32Array;
  actRooms: Int32Array;
  /** 1 when the activity must have a room (weight 100), 0 when it may go roomless at roomWeight. */
  roomHard: Uint8Array;
  roomWeight: Float64Array;
  hasRooms: Uint8Array;
  /** Where `a` takes place when it has no room, for room changes: rooms + its first subgroup, or -1 for nowhere known. */
  homePlace: Int32Array;
  domainStart: Int32Array;
  domain: Int32Array;
  /** Soft penalty of starting activity `a` at slot `s`: `startSoft[a * slots + s]`. */
  startSoft: Float64Array;
  fixed: Uint8Array;
  fixedSlot: Int32Array;
  fixedRoom: Int32Array;
  /** Min-days partner pairs of each activity (CSR), with their min days and weight. */
  partnerStart: Int32Array;
  partner: Int32Array;
  partnerDays: Int32Array;
  partnerWeight: Float64Array;
  /** Slots where a person's free hour is no gap (their own not-available times and breaks). */
  personBlocked: Uint8Array;
  roomBlockedHard: Uint8Array;
  roomBlockedSoft: Float64Array;
  /**
   * How many original people each person stands for: people with the same activities,
   * not-available times and limits (a year's subgroups that always sit together) are merged into
   * one, and every violation of theirs counts that many times, as the checker counts it.
   */
  multiplicity: Int32Array;
  /** Person limits (CSR by person): kind index into LIMIT_KINDS, value and weight. */
  limitStart: Int32Array;
  limitKind: Int8Array;
  limitValue: Int32Array;
  limitWeight: Float64Array;
  /**
   * 1 for a compact person: hard limits of no gaps (a day or a week of 0) and no late beginning,
   * and no hard limit on days (a class with `compactDays`; see shapes.ts).
   */
  compact: Uint8Array;
  /** Activities of each person (CSR). */
  personActsStart: Int32Array;
  personActs: Int32Array;
}

function csr(lists: number[][]): { start: Int32Array; items: Int32Array } {
  const start = new Int32Array(lists.length + 1);
  let total = 0;
  lists.forEach((list, i) => {
    start[i] = total;
    total += list.length;
  });
  start[lists.length] = total;
  return { start, items: Int32Array.from(lists.flat()) };
}

export function compile(problem: Problem): Compiled {
  const { days, hours } = problem;
  const slots = days * hours;
  const nt = problem.teachers.length;
  const people = nt + problem.subgroups.length;
  const nRooms = problem.rooms.length;
  const acts = problem.activities;
  const n = acts.length;

  const personHard = new Uint8Array(people * slots);
  const personSoft = new Float64Array(people * slots);
  const breakHard = new Uint8Array(slots);
  const breakSoft = new Float64Array(slots);
  const roomBlockedHard = new Uint8Array(nRooms * slots);
  const roomBlockedSoft = new Float64Array(nRooms * slots);
  for (const u of problem.unavailable) {
    for (const s of u.slots) {
      if (u.kind === 'all') {
        if (isHard(u.weight)) breakHard[s] = 1;
        else breakSoft[s] = breakSoft[s]! + u.weight;
      } else if (u.kind === 'room') {
        if (isHard(u.weight)) roomBlockedHard[u.index * slots + s] = 1;
        else roomBlockedSoft[u.index * slots + s] = roomBlockedSoft[u.index * slots + s]! + u.weight;
      } else {
        const p = u.kind === 'teacher' ? u.index : nt + u.index;
        if (isHard(u.weight)) personHard[p * slots + s] = 1;
        else personSoft[p * slots + s] = personSoft[p * slots + s]! + u.weight;
      }
    }
  }
  const personBlocked = new Uint8Array(people * slots);
  for (let p = 0; p < people; p++) {
    for (let s = 0; s < slots; s++) personBlocked[p * slots + s] = personHard[p * slots + s]! | breakHard[s]!;
  }

  const rawPeople = acts.map((a) => [...new Set([...a.teachers, ...a.subgroups.map((g) => nt + g)])]);
  const rawLimits: string[][] = Array.from({ length: people }, () => []);
  for (const l of problem.limits) rawLimits[l.person]!.push(`${l.kind}:${l.value}:${l.weight}`);
  const rawActs: number[][] = Array.from({ length: people }, () => []);
  rawPeople.forEach((ps, a) => ps.forEach((p) => rawActs[p]!.push(a)));
  const representative = new Int32Array(people);
  const multiplicity = new Int32Array(people);
  const bySignature = new Map<string, number>();
  for (let p = 0; p < people; p++) {
    const row = (arr: ArrayLike<number>) => Array.from({ length: slots }, (_, s) => arr[p * slots + s]).join(',');
    const signature = [p < nt ? 't' : 's', rawActs[p]!.join(','), row(personHard), row(personSoft), rawLimits[p]!.sort().join(',')].join('|');
    const rep = bySignature.get(signature) ?? p;
    bySignature.set(signature, rep);
    representative[p] = rep;
    multiplicity[rep] = multiplicity[rep]! + 1;
  }
  const peopleOf = rawPeople.map((ps) => [...new Set(ps.map((p) => representative[p]!))]);
  const { start: actPeopleStart, items: actPeople } = csr(peopleOf);
  const { start: actRoomsStart, items: actRooms } = csr(acts.map((a) => a.rooms ?? []));
  const roomHard = Uint8Array.from(acts, (a) => (a.rooms && isHard(a.roomWeight) ? 1 : 0));
  const roomWeight = Float64Array.from(acts, (a) => a.roomWeight);
  const hasRooms = Uint8Array.from(acts, (a) => (a.rooms ? 1 : 0));
  const homePlace = Int32Array.from(acts, (a) => (a.subgroups.length > 0 ? nRooms + a.subgroups[0]! : -1));

  const hardStarts: (Set<number> | null)[] = new Array(n).fill(null);
  const startSoft = new Float64Array(n * slots);
  for (const pref of problem.preferredStarts) {
    if (isHard(pref.weight)) {
      const prev = hardStarts[pref.activity];
      hardStarts[pref.activity] = new Set(prev ? pref.slots.filter((s) => prev.has(s)) : pref.slots);
    } else {
      const ok = new Set(pref.slots);
      for (let s = 0; s < slots; s++) if (!ok.has(s)) startSoft[pref.activity * slots + s] = startSoft[pref.activity * slots + s]! + pref.weight;
    }
  }
  const domains: number[][] = [];
  const fixed = new Uint8Array(n);
  const fixedSlot = new Int32Array(n).fill(-1);
  const fixedRoom = new Int32Array(n).fill(-1);
  acts.forEach((a, i) => {
    const domain: number[] = [];
    for (let d = 0; d < days; d++) {
      for (let h = 0; h + a.duration <= hours; h++) {
        const s = d * hours + h;
        if (hardStarts[i] && !hardStarts[i].has(s)) continue;
        let ok = true;
        let soft = 0;
        for (let k = 0; k < a.duration && ok; k++) {
          if (breakHard[s + k]) ok = false;
          soft += breakSoft[s + k]!;
          for (const p of peopleOf[i]!) {
            if (personHard[p * slots + s + k]) ok = false;
            soft += personSoft[p * slots + s + k]!;
          }
        }
        if (ok) domain.push(s);
        startSoft[i * slots + s] = startSoft[i * slots + s]! + soft;
      }
    }
    if (a.fixed) {
      fixed[i] = 1;
      fixedSlot[i] = a.fixed.slot;
      fixedRoom[i] = a.fixed.room ?? -1;
      domains.push([a.fixed.slot]);
    } else {
      domains.push(domain);
    }
  });
  const { start: domainStart, items: domain } = csr(domains);

  const partners: [number, number, number][][] = acts.map(() => []);
  for (const md of problem.minDays) {
    for (let i = 0; i < md.activities.length; i++) {
      for (let j = 0; j < md.activities.length; j++) {
        if (i !== j) partners[md.activities[i]!]!.push([md.activities[j]!, md.minDays, md.weight]);
      }
    }
  }
  const { start: partnerStart, items: partner } = csr(partners.map((l) => l.map((x) => x[0])));
  const partnerDays = Int32Array.from(partners.flat().map((x) => x[1]));
  const partnerWeight = Float64Array.from(partners.flat().map((x) => x[2]));

  const limitsOf: { kind: number; value: number; weight: number }[][] = Array.from({ length: people }, () => []);
  for (const l of problem.limits) if (representative[l.person] === l.person) limitsOf[l.person]!.push({ kind: LIMIT_KINDS.indexOf(l.kind), value: l.value, weight: l.weight });
  const { start: limitStart } = csr(limitsOf.map((l) => l.map(() => 0)));
  const flatLimits = limitsOf.flat();

  const actsOf: number[][] = Array.from({ length: people }, () => []);
  peopleOf.forEach((ps, a) => ps.forEach((p) => actsOf[p]!.push(a)));
  const { start: personActsStart, items: personActs } = csr(actsOf);

  const compact = new Uint8Array(people);
  limitsOf.forEach((list, p) => {
    const hard = list.filter((l) => isHard(l.weight));
    const has = (kinds: LimitKind[], value: number) => hard.some((l) => kinds.includes(LIMIT_KINDS[l.kind]!) && l.value === value);
    const daysCapped = hard.some((l) => LIMIT_KINDS[l.kind] === 'maxDaysPerWeek' && l.value < days);
    compact[p] = has(['maxGapsPerDay', 'maxGapsPerWeek'], 0) && has(['maxBeginningsAtSecondHour'], 0) && !daysCapped ? 1 : 0;
  });

  return {
    problem, days, hours, slots, activities: n, people, rooms: nRooms,
    duration: Int32Array.from(acts, (a) => a.duration),
    actPeopleStart, actPeople, actRoomsStart, actRooms, roomHard, roomWeight, hasRooms, homePlace,
    domainStart, domain, startSoft, fixed, fixedSlot, fixedRoom,
    partnerStart, partner, partnerDays, partnerWeight,
    personBlocked, roomBlockedHard, roomBlockedSoft,
    limitStart,
    limitKind: Int8Array.from(flatLimits, (l) => l.kind),
    limitValue: Int32Array.from(flatLimits, (l) => l.value),
    limitWeight: Float64Array.from(flatLimits, (l) => l.weight),
    personActsStart, personActs, multiplicity, compact,
  };
}

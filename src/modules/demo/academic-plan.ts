/**
 * The demo school's academic structure, and a conflict-free week for it, worked out without the
 * database: what `seedDemo` then creates through the API.
 */

export interface PlannedSubject {
  name: string;
  code: string;
  color: string;
  periodsPerWeek: number;
  /** Index into DEMO_TEACHERS_BY_SUBJECT's teacher list for grades 1-4 and 5-8. */
  teachers: [number, number];
  room?: string;
  /** Taught from this grade on. */
  fromGrade?: number;
}

export const DEMO_ROOMS = ['Science Lab', 'Gym', 'Computer Lab', 'Art Studio', 'Music Room', 'Library'];

/**
 * 12 subjects, 28 periods a week in grades 1-2 and 32 from grade 3. Each subject that needs a room
 * has one teacher for every class, so a teacher's lessons never clash means its room's never do.
 */
export const DEMO_SUBJECTS: PlannedSubject[] = [
  { name: 'Mathematics', code: 'MATH', color: '#1E88E5', periodsPerWeek: 5, teachers: [0, 1] },
  { name: 'English', code: 'ENG', color: '#E53935', periodsPerWeek: 5, teachers: [2, 3] },
  { name: 'Science', code: 'SCI', color: '#43A047', periodsPerWeek: 4, teachers: [4, 4], room: 'Science Lab' },
  { name: 'History', code: 'HIST', color: '#8D6E63', periodsPerWeek: 2, teachers: [6, 6] },
  { name: 'Geography', code: 'GEO', color: '#00897B', periodsPerWeek: 2, teachers: [6, 6] },
  { name: 'Art', code: 'ART', color: '#D81B60', periodsPerWeek: 2, teachers: [7, 7], room: 'Art Studio' },
  { name: 'Music', code: 'MUS', color: '#8E24AA', periodsPerWeek: 2, teachers: [7, 7], room: 'Music Room' },
  { name: 'Physical Education', code: 'PE', color: '#FB8C00', periodsPerWeek: 3, teachers: [5, 5], room: 'Gym' },
  { name: 'Computing', code: 'COMP', color: '#546E7A', periodsPerWeek: 2, teachers: [8, 8], room: 'Computer Lab', fromGrade: 3 },
  { name: 'French', code: 'FR', color: '#3949AB', periodsPerWeek: 2, teachers: [8, 8], fromGrade: 3 },
  { name: 'Religious Studies', code: 'RE', color: '#FDD835', periodsPerWeek: 1, teachers: [9, 9] },
  { name: 'Drama', code: 'DRA', color: '#6D4C41', periodsPerWeek: 2, teachers: [9, 9] },
];

export const DEMO_TEACHERS_NEEDED = 10;

/** One lesson to place: which class, which subject row, and who teaches it. */
export interface LessonToPlace {
  classIndex: number;
  subjectIndex: number;
  teacherIndex: number;
}

/** Every lesson of the week for classes of grades 1..classCount. */
export function demoLessons(classCount: number): LessonToPlace[] {
  const lessons: LessonToPlace[] = [];
  for (let classIndex = 0; classIndex < classCount; classIndex += 1) {
    const grade = classIndex + 1;
    DEMO_SUBJECTS.forEach((subject, subjectIndex) => {
      if (grade < (subject.fromGrade ?? 1)) return;
      const teacherIndex = subject.teachers[grade <= 4 ? 0 : 1];
      for (let n = 0; n < subject.periodsPerWeek; n += 1) lessons.push({ classIndex, subjectIndex, teacherIndex });
    });
  }
  return lessons;
}

/**
 * Gives each lesson a slot 0..slots-1 so that no class and no teacher has two lessons in one slot.
 * Lessons are the edges of a bipartite multigraph of classes and teachers, and a slot is an edge
 * colour: König's theorem says as many colours as the busiest class or teacher has lessons are
 * enough, and the alternating-path method finds such a colouring (each edge: a colour free at both
 * ends, after swapping two colours along one path if needed). Deterministic for a given input.
 */
export function colourLessons(lessons: LessonToPlace[], slots: number): number[] {
  // slotOf[node][colour] = index of the lesson using that colour at the node, or -1.
  const classNode = (i: number) => `c${i}`;
  const teacherNode = (i: number) => `t${i}`;
  const used = new Map<string, Int32Array>();
  const at = (node: string) => {
    let row = used.get(node);
    if (!row) used.set(node, (row = new Int32Array(slots).fill(-1)));
    return row;
  };
  const colour = new Array<number>(lessons.length).fill(-1);
  const ends = (lesson: LessonToPlace) => [classNode(lesson.classIndex), teacherNode(lesson.teacherIndex)] as const;
  const free = (node: string) => at(node).indexOf(-1);

  lessons.forEach((lesson, index) => {
    const [u, v] = ends(lesson);
    const a = free(u);
    const b = free(v);
    if (a < 0 || b < 0) throw new Error(`more than ${slots} lessons for one class or teacher`);
    if (at(v)[a] !== -1) {
      // Swap colours a and b along the path from v that alternates a, b, a, …; in a bipartite
      // graph it never reaches u, and afterwards a is free at v as well.
      const path: number[] = [];
      let node = v;
      let want = a;
      for (;;) {
        const edge = at(node)[want]!;
        if (edge === -1) break;
        path.push(edge);
        const [x, y] = ends(lessons[edge]!);
        node = node === x ? y : x;
        want = want === a ? b : a;
      }
      for (const edge of path) {
        const [x, y] = ends(lessons[edge]!);
        at(x)[colour[edge]!] = -1;
        at(y)[colour[edge]!] = -1;
      }
      for (const edge of path) {
        const [x, y] = ends(lessons[edge]!);
        colour[edge] = colour[edge] === a ? b : a;
        at(x)[colour[edge]!] = edge;
        at(y)[colour[edge]!] = edge;
      }
    }
    colour[index] = a;
    at(u)[a] = index;
    at(v)[a] = index;
  });
  return colour;
}

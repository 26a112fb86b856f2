/**
 * The demo school's guardians: every other student (student001, student003, …) has one, imported
 * by one CSV through the API with the `guardianOf` column, as a school office would. Families are
 * cut from those students ordered by their seat in their class (then by class), so siblings sit in
 * different classes, and family sizes cycle 3, 1, 2, 1: guardian001 has three children, in 1A, 3A
 * and 5A (the bench's guardian). One argon2 hash per guardian (57 of them) is most of the time.
 */
import type { FastifyInstance } from 'fastify';

const FAMILY_SIZES = [3, 1, 2, 1];
const RELATIONSHIPS = ['mother', 'father', 'mother', 'guardian', 'father'];
const FIRST_NAMES = ['Alice', 'Bruno', 'Carmen', 'Dmitri', 'Esther', 'Felix', 'Grace', 'Hugo', 'Ines', 'Jamal', 'Keiko', 'Luis'];

interface DemoStudent {
  username: string;
  name: string;
}

/** The families: each a list of students, the children of one guardian. */
export function demoFamilies(students: readonly DemoStudent[], classSize: number): DemoStudent[][] {
  const covered = students
    .map((student, index) => ({ student, index }))
    .filter(({ index }) => index % 2 === 0)
    .sort((a, b) => (a.index % classSize) - (b.index % classSize) || a.index - b.index)
    .map(({ student }) => student);
  const families: DemoStudent[][] = [];
  let start = 0;
  while (start < covered.length) {
    const size = FAMILY_SIZES[families.length % FAMILY_SIZES.length]!;
    families.push(covered.slice(start, start + size));
    start += size;
  }
  return families;
}

export async function seedGuardians(
  app: FastifyInstance,
  school: { adminToken: string; password: string; students: readonly DemoStudent[]; classSize: number },
): Promise<{ usernames: string[]; links: number }> {
  const families = demoFamilies(school.students, school.classSize);
  const guardians = families.map((_, index) => `guardian${String(index + 1).padStart(3, '0')}`);
  const rows = [
    'username,password,role,name,email,phone,guardianOf,relationship',
    ...families.map((children, index) => {
      const username = guardians[index]!;
      // The family name of the eldest in the list: the guardian is "Alice Adeyemi" of "Amara Adeyemi".
      const name = `${FIRST_NAMES[index % FIRST_NAMES.length]} ${children[0]!.name.split(' ').at(-1)}`;
      const phone = `+1 555 02${String(index).padStart(2, '0')}`;
      const childList = children.map((child) => child.username).join(';');
      return `${username},${school.password},guardian,${name},${username}@parents.example,${phone},${childList},${RELATIONSHIPS[index % RELATIONSHIPS.length]}`;
    }),
  ];
  const response = await app.inject({
    method: 'POST',
    url: '/api/users/import',
    payload: rows.join('\n'),
    headers: { authorization: `Bearer ${school.adminToken}`, 'content-type': 'text/csv' },
  });
  if (response.statusCode !== 201) throw new Error(`importing the demo guardians failed (${response.statusCode}): ${response.body}`);
  return { usernames: guardians, links: (response.json() as { linked: number }).linked };
}

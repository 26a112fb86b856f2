import { describe, expect, it } from 'vitest';
import { call, createMember, expectExactShape, PASSWORD, registerInstitution, type TestInstitution, unique, useSchool } from '../../../test/helpers.js';
import { ImportPreview } from './schemas.js';

const ctx = useSchool();

const HEADER = 'username,password,role,name,email,dateOfBirth,guardianOf';

const upload = (institution: TestInstitution, csv: string, query = '') =>
  call(ctx.app, 'POST', `/api/users/import${query}`, { token: institution.adminToken, body: csv, headers: { 'content-type': 'text/csv' } });

/** Everything an import writes: users, guardian links and activity-log entries, counted. */
async function writtenRows(institution: TestInstitution) {
  const tenant = ctx.app.db.withSchema(institution.schemaName);
  const count = (table: 'users' | 'guardianLinks' | 'activityLogs') =>
    tenant
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n));
  return { users: await count('users'), guardianLinks: await count('guardianLinks'), activityLogs: await count('activityLogs') };
}

describe('POST /api/users/import?dryRun=true', () => {
  it('answers each row with what it would create and its errors in plain words, and writes nothing', async () => {
    const school = await registerInstitution(ctx.app);
    const existing = await createMember(ctx.app, school, 'student');
    const teacher = await createMember(ctx.app, school, 'teacher');
    const before = await writtenRows(school);
    const csv = [
      HEADER,
      `kim.kid,${PASSWORD},student,Kim Kid,kim@school.example,2014-03-01,`,
      `x y,short,janitor,Bad Row,not-an-email,2020-13-01,`,
      `mia.mum,${PASSWORD},guardian,Mia Mum,,,"kim.kid;${existing.username};${teacher.username}"`,
      `${existing.username.toUpperCase()},${PASSWORD},student,Taken Name,,,`,
      `kim.kid,${PASSWORD},teacher,,,,`,
      `short.row,${PASSWORD},student`,
    ].join('\n');

    const response = await upload(school, csv, '?dryRun=true');
    expect(response.statusCode, response.body).toBe(200);
    expectExactShape(ImportPreview, response.data);
    expect(response.data).toEqual({
      total: 6,
      invalid: 5,
      created: 0,
      linked: 0,
      rows: [
        { row: 2, username: 'kim.kid', name: 'Kim Kid', role: 'student', email: 'kim@school.example', guardianOf: [], errors: [] },
        {
          row: 3,
          username: 'x y',
          name: 'Bad Row',
          role: 'janitor',
          email: 'not-an-email',
          guardianOf: [],
          errors: [
            { field: 'username', message: 'must be 3-50 letters, digits, dots, underscores or hyphens' },
            { field: 'password', message: 'must be at least 8 characters' },
            { field: 'role', message: 'must be one of teacher, student, guardian' },
            { field: 'email', message: 'must be an email address' },
            { field: 'dateOfBirth', message: 'must be YYYY-MM-DD, from the year 0001' },
          ],
        },
        {
          row: 4,
          username: 'mia.mum',
          name: 'Mia Mum',
          role: 'guardian',
          email: null,
          guardianOf: ['kim.kid', existing.username, teacher.username],
          errors: [{ field: 'guardianOf', message: `"${teacher.username}" is a teacher, not a student` }],
        },
        {
          row: 5,
          username: existing.username.toUpperCase(),
          name: 'Taken Name',
          role: 'student',
          email: null,
          guardianOf: [],
          errors: [{ field: 'username', message: 'is already taken' }],
        },
        { row: 6, username: 'kim.kid', name: null, role: 'teacher', email: null, guardianOf: [], errors: [{ field: 'name', message: 'is empty' }] },
        { row: 7, username: 'short.row', name: null, role: 'student', email: null, guardianOf: [], errors: [{ field: 'row', message: 'has 3 cells; the header has 7' }] },
      ],
    });
    expect(await writtenRows(school)).toEqual(before);
  });

  it('counts what a valid file would create, writes nothing, and the import then creates exactly that', async () => {
    const school = await registerInstitution(ctx.app);
    const [kid, mum, teacher] = [unique('kid'), unique('mum'), unique('teach')];
    const csv = [
      HEADER,
      `${mum},${PASSWORD},guardian,Mia Mum,,,${kid}`,
      `${kid},${PASSWORD},student,Kim Kid,,2014-03-01,`,
      `${teacher},${PASSWORD},teacher,Tia Teach,tia@school.example,,`,
    ].join('\n');
    const before = await writtenRows(school);

    const preview = await upload(school, csv, '?dryRun=true');
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.data).toEqual({
      total: 3,
      invalid: 0,
      created: 3,
      linked: 1,
      rows: [
        { row: 2, username: mum, name: 'Mia Mum', role: 'guardian', email: null, guardianOf: [kid], errors: [] },
        { row: 3, username: kid, name: 'Kim Kid', role: 'student', email: null, guardianOf: [], errors: [] },
        { row: 4, username: teacher, name: 'Tia Teach', role: 'teacher', email: 'tia@school.example', guardianOf: [], errors: [] },
      ],
    });
    expect(await writtenRows(school)).toEqual(before);

    const imported = await upload(school, csv);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.data).toEqual({ created: 3, linked: 1 });
    expect(await writtenRows(school)).toEqual({ users: before.users + 3, guardianLinks: before.guardianLinks + 1, activityLogs: before.activityLogs + 1 });
  });

  it('gives the import the same plain words for the same rows', async () => {
    const school = await registerInstitution(ctx.app);
    const response = await upload(school, `${HEADER}\nx y,short,student,Bad Row,,,`);
    expect(response.statusCode).toBe(400);
    expect(response.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: '1 of 1 rows have errors; nothing was imported',
      details: [
        { row: 2, field: 'username', message: 'must be 3-50 letters, digits, dots, underscores or hyphens' },
        { row: 2, field: 'password', message: 'must be at least 8 characters' },
      ],
    });
  });

  it('refuses a file it cannot read as a whole as the import does, and writes nothing', async () => {
    const school = await registerInstitution(ctx.app);
    const before = await writtenRows(school);
    const badHeader = await upload(school, 'username,password,name,shoeSize\nabc,password123,Abc,42\n', '?dryRun=true');
    expect(badHeader.statusCode).toBe(400);
    expect(badHeader.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'The CSV header is not valid; nothing was imported',
      details: [
        { row: 1, field: 'shoeSize', message: 'is not a known column (username, password, role, name, email, phone, address, dateOfBirth, joiningDate, guardianOf, relationship)' },
        { row: 1, field: 'role', message: 'column is missing' },
      ],
    });
    expect((await upload(school, `${HEADER}\n`, '?dryRun=true')).data).toEqual({ code: 'VALIDATION_ERROR', message: 'The CSV has no data rows; nothing was imported' });
    expect(await writtenRows(school)).toEqual(before);
  });

  it('previews a multipart upload too, and is for admins only', async () => {
    const school = await registerInstitution(ctx.app);
    const boundary = '----crmpreview';
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="users.csv"\r\nContent-Type: text/csv\r\n\r\n` +
      `Username,Password,Role,Name\nmulti.part,${PASSWORD},student,Multi Part\r\n--${boundary}--\r\n`;
    const response = await call(ctx.app, 'POST', '/api/users/import?dryRun=true', {
      token: school.adminToken,
      body: payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.data).toMatchObject({ total: 1, invalid: 0, created: 1, linked: 0 });

    const teacher = await createMember(ctx.app, school, 'teacher');
    const forbidden = await call(ctx.app, 'POST', '/api/users/import?dryRun=true', {
      token: teacher.token,
      body: `${HEADER}\nabc.def,${PASSWORD},student,Abc,,,`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(forbidden.statusCode).toBe(403);
  });
});

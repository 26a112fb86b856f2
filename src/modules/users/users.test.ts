import { beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createMember,
  PASSWORD,
  registerInstitution,
  type TestInstitution,
  useSchool,
  unique,
  expectErrorShape,
  expectExactShape,
} from '../../../test/helpers.js';
import { UserList } from './schemas.js';

const ctx = useSchool();

const asAdmin = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
  call(ctx.app, method, url, { token: ctx.school.adminToken, body });

const tenant = (institution = ctx.school) => ctx.app.db.withSchema(institution.schemaName);

async function userCount(institution = ctx.school) {
  const response = await call(ctx.app, 'GET', '/api/users?limit=1', { token: institution.adminToken });
  return response.data.total as number;
}

describe('creating users', () => {
  it('creates a teacher with every profile field and never shows a password', async () => {
    const username = unique('t.');
    const response = await asAdmin('POST', '/api/users', {
      username,
      password: PASSWORD,
      role: 'teacher',
      name: '  Katherine Johnson ',
      email: 'kj@ctx.school.example',
      phone: '+1 (555) 010-2030',
      address: '1 Orbit Way',
      dateOfBirth: '1918-08-26',
      joiningDate: '2024-09-01',
    });
    expect(response.statusCode).toBe(201);
    expect(response.data).toEqual({
      id: expect.any(String),
      username,
      role: 'teacher',
      name: 'Katherine Johnson',
      email: 'kj@ctx.school.example',
      phone: '+1 (555) 010-2030',
      address: '1 Orbit Way',
      dateOfBirth: '1918-08-26',
      joiningDate: '2024-09-01',
      isActive: true,
      lastLoginAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(response.body.toLowerCase()).not.toContain('password');
    const fetched = await asAdmin('GET', `/api/users/${response.data.id}`);
    expect(fetched.data).toEqual(response.data);
  });

  it('rejects bad input with a detail per field and writes nothing', async () => {
    const before = await userCount();
    const response = await asAdmin('POST', '/api/users', {
      username: 'no spaces allowed',
      password: 'short',
      role: 'principal',
      name: '',
      email: 'nope',
      dateOfBirth: '2020-02-30x',
      isActive: false,
    });
    expect(response.statusCode).toBe(400);
    expect(response.data.code).toBe('VALIDATION_ERROR');
    const fields = (response.data.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['username', 'password', 'role', 'name', 'email', 'dateOfBirth', 'isActive']));
    expect(await userCount()).toBe(before);
  });

  it('answers 409 for a username already used in the institution, ignoring case', async () => {
    const member = await createMember(ctx.app, ctx.school, 'student');
    const response = await asAdmin('POST', '/api/users', { username: member.username.toUpperCase(), password: PASSWORD, role: 'teacher', name: 'Twin' });
    expect(response.statusCode).toBe(409);
    expect(response.data.code).toBe('CONFLICT');
  });

  it('allows the same username in another institution', async () => {
    const other = await registerInstitution(ctx.app);
    const member = await createMember(ctx.app, ctx.school, 'student');
    const response = await call(ctx.app, 'POST', '/api/users', {
      token: other.adminToken,
      body: { username: member.username, password: PASSWORD, role: 'student', name: 'Namesake' },
    });
    expect(response.statusCode).toBe(201);
  });
});

describe('listing users', () => {
  let listSchool: TestInstitution;
  beforeAll(async () => {
    listSchool = await registerInstitution(ctx.app);
    const people: [string, 'teacher' | 'student', string | undefined][] = [
      ['Zoe Zimmer', 'student', 'zoe@x.example'],
      ['adam Apple', 'teacher', undefined],
      ['Maria Mendes', 'student', 'maria@mendes.example'],
      ['Bob Baker', 'student', undefined],
    ];
    for (const [name, role, email] of people) {
      await call(ctx.app, 'POST', '/api/users', {
        token: listSchool.adminToken,
        body: { username: unique('u'), password: PASSWORD, role, name, ...(email ? { email } : {}) },
      });
    }
  });
  const list = (query: string) => call(ctx.app, 'GET', `/api/users${query}`, { token: listSchool.adminToken });
  const names = (response: { data: Record<string, any> }) => (response.data.items as { name: string }[]).map((u) => u.name);

  it('sorts by name regardless of case and pages', async () => {
    expect(names(await list(''))).toEqual(['adam Apple', 'Bob Baker', 'Maria Mendes', 'Zoe Zimmer']);
    const page = await list('?limit=2&page=2');
    expect(page.data).toMatchObject({ total: 4, page: 2, limit: 2 });
    expect(names(page)).toEqual(['Maria Mendes', 'Zoe Zimmer']);
    const pastTheEnd = await list('?limit=2&page=9');
    expect(pastTheEnd.data).toEqual({ items: [], total: 4, page: 9, limit: 2 });
  });

  it('answers exactly the list schema, each item as the single-user answer shows it', async () => {
    const page = await list('');
    expectExactShape(UserList, page.data);
    for (const item of page.data.items) {
      const single = await call(ctx.app, 'GET', `/api/users/${item.id}`, { token: listSchool.adminToken });
      // Timestamps and dates are the same text whichever path wrote them.
      expect(item).toEqual(single.data);
    }
  });

  it('writes names with quotes, backslashes, control characters and emoji as valid JSON', async () => {
    const name = 'Zoë "Zed" O\'Brien \\ back\tslash 😀 </script>';
    const created = await call(ctx.app, 'POST', '/api/users', {
      token: listSchool.adminToken,
      body: { username: unique('odd'), password: PASSWORD, role: 'student', name, address: 'line 1\nline 2' },
    });
    expect(created.statusCode).toBe(201);
    const found = await list(`?q=${encodeURIComponent('"Zed"')}`);
    expect(found.data.items).toEqual([created.data]);
    await call(ctx.app, 'DELETE', `/api/users/${created.data.id}`, { token: listSchool.adminToken });
  });

  it('filters by role, text and active flag', async () => {
    expect(names(await list('?role=teacher'))).toEqual(['adam Apple']);
    expect(names(await list('?q=MENDES'))).toEqual(['Maria Mendes']);
    expect(names(await list('?q=zoe%40'))).toEqual(['Zoe Zimmer']);
    expect(names(await list('?q=%25'))).toEqual([]);
    const bob = (await list('?q=bob')).data.items[0];
    await call(ctx.app, 'PATCH', `/api/users/${bob.id}`, { token: listSchool.adminToken, body: { isActive: false } });
    expect(names(await list('?isActive=false'))).toEqual(['Bob Baker']);
    expect((await list('?isActive=true')).data.total).toBe(3);
  });

  it('rejects unknown or invalid query parameters', async () => {
    expect((await list('?role=admin')).statusCode).toBe(400);
    expect((await list('?limit=0')).statusCode).toBe(400);
    expect((await list('?page=99999999999999999999')).statusCode).toBe(400);
    expect((await list('?page=1e300')).statusCode).toBe(400);
    expect((await list('?limit=1000')).statusCode).toBe(400);
    expect((await list('?sort=password')).statusCode).toBe(400);
  });
});

describe('changing and deleting users', () => {
  it('updates profile fields and can clear optional ones', async () => {
    const member = await createMember(ctx.app, ctx.school, 'student', { email: 'old@x.example', phone: '555-1234' });
    const response = await asAdmin('PATCH', `/api/users/${member.id}`, { name: 'New Name', email: 'new@x.example', phone: null });
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ name: 'New Name', email: 'new@x.example', phone: null });
    const logs = await asAdmin('GET', `/api/activity-logs?action=update&targetType=user`);
    expect(logs.data.items[0]).toMatchObject({ targetId: member.id, details: { fields: ['name', 'email', 'phone'], passwordReset: false } });
  });

  it('refuses role changes and unknown fields, changing nothing', async () => {
    const member = await createMember(ctx.app, ctx.school, 'student');
    for (const body of [{ role: 'teacher' }, { name: 'X', passwordHash: 'x' }, { tokenVersion: 5 }, {}]) {
      const response = await asAdmin('PATCH', `/api/users/${member.id}`, body);
      expect(response.statusCode).toBe(400);
    }
    const fetched = await asAdmin('GET', `/api/users/${member.id}`);
    expect(fetched.data).toMatchObject({ role: 'student', name: member.name });
    expect((await call(ctx.app, 'GET', '/api/auth/me', { token: member.token })).statusCode).toBe(200);
  });

  it('ends sessions when the admin resets the password or deactivates, and not for other edits', async () => {
    const member = await createMember(ctx.app, ctx.school, 'teacher');
    await asAdmin('PATCH', `/api/users/${member.id}`, { address: 'Somewhere' });
    expect((await call(ctx.app, 'GET', '/api/auth/me', { token: member.token })).statusCode).toBe(200);
    await asAdmin('PATCH', `/api/users/${member.id}`, { password: 'reset-by-admin' });
    expect((await call(ctx.app, 'GET', '/api/auth/me', { token: member.token })).statusCode).toBe(401);

    const other = await createMember(ctx.app, ctx.school, 'student');
    await asAdmin('PATCH', `/api/users/${other.id}`, { isActive: false });
    expect((await call(ctx.app, 'GET', '/api/auth/me', { token: other.token })).statusCode).toBe(401);
  });

  it('answers 409 when renaming onto a taken username', async () => {
    const a = await createMember(ctx.app, ctx.school, 'student');
    const b = await createMember(ctx.app, ctx.school, 'student');
    const response = await asAdmin('PATCH', `/api/users/${b.id}`, { username: a.username });
    expect(response.statusCode).toBe(409);
  });

  it('deletes a user, whose token then stops working', async () => {
    const member = await createMember(ctx.app, ctx.school, 'student');
    expect((await asAdmin('DELETE', `/api/users/${member.id}`)).statusCode).toBe(200);
    expect((await asAdmin('GET', `/api/users/${member.id}`)).statusCode).toBe(404);
    expect((await asAdmin('DELETE', `/api/users/${member.id}`)).statusCode).toBe(404);
    expect((await call(ctx.app, 'GET', '/api/auth/me', { token: member.token })).statusCode).toBe(401);
  });

  it('answers 400 for ids that are not UUIDs and 404 for unknown ones', async () => {
    expect((await asAdmin('GET', '/api/users/123')).statusCode).toBe(400);
    expect((await asAdmin('PATCH', "/api/users/1'or'1'='1", { name: 'x' })).statusCode).toBe(400);
    const missing = await asAdmin('GET', '/api/users/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.data).toEqual({ code: 'NOT_FOUND', message: 'User not found' });
  });

  it('is for admins only', async () => {
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    const student = await createMember(ctx.app, ctx.school, 'student');
    for (const token of [teacher.token, student.token]) {
      expect((await call(ctx.app, 'GET', '/api/users', { token })).statusCode).toBe(403);
      const escalate = await call(ctx.app, 'PATCH', `/api/users/${student.id}`, { token, body: { isActive: true } });
      expect(escalate.statusCode).toBe(403);
    }
  });
});

describe('POST /api/users/import', () => {
  const HEADER = 'username,password,role,name,email,phone,address,dateOfBirth';
  const importCsv = (csv: string, institution = ctx.school) =>
    call(ctx.app, 'POST', '/api/users/import', { token: institution.adminToken, body: csv, headers: { 'content-type': 'text/csv' } });

  it('creates every row from a text/csv body and logs one import entry', async () => {
    const a = unique('imp');
    const b = unique('imp');
    const csv = `${HEADER}\n${a},${PASSWORD},teacher,"Lovelace, Ada",ada@x.example,555 0101,"1 Engine St",1815-12-10\n${b},${PASSWORD},student,Charles,,,,\n`;
    const before = await userCount();
    const response = await importCsv(csv);
    expect(response.statusCode).toBe(201);
    expect(response.data).toEqual({ created: 2, linked: 0 });
    expect(await userCount()).toBe(before + 2);
    const ada = await asAdmin('GET', `/api/users?q=${a}`);
    expect(ada.data.items[0]).toMatchObject({ name: 'Lovelace, Ada', role: 'teacher', dateOfBirth: '1815-12-10', address: '1 Engine St' });
    const login = await call(ctx.app, 'POST', '/api/auth/login', { body: { username: b, password: PASSWORD, institutionCode: ctx.school.code } });
    expect(login.statusCode).toBe(200);
    const logs = await asAdmin('GET', '/api/activity-logs?action=import');
    expect(logs.data.items[0]).toMatchObject({ targetType: 'user', details: { created: 2, linked: 0 } });
  });

  it('accepts a multipart upload and flexible header names', async () => {
    const username = unique('mp');
    const boundary = '----crmtest';
    const csv = `Username,Password,Role,Name,Date of Birth\n${username},${PASSWORD},student,Multi Part,2012-05-05\n`;
    const payload =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="users.csv"\r\nContent-Type: text/csv\r\n\r\n` +
      `${csv}\r\n--${boundary}--\r\n`;
    const response = await call(ctx.app, 'POST', '/api/users/import', {
      token: ctx.school.adminToken,
      body: payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(response.statusCode).toBe(201);
    expect(response.data).toEqual({ created: 1, linked: 0 });
  });

  it('reports every invalid row with its row number and field, and creates none', async () => {
    const existing = await createMember(ctx.app, ctx.school, 'student');
    const dup = unique('dup');
    const csv = [
      HEADER,
      `${unique('ok')},${PASSWORD},student,Fine Row,,,,`,
      `x,${PASSWORD},student,Short Name,,,,`,
      `${unique('r')},short,janitor,Bad Password,not-an-email,,,2020-13-01`,
      `${dup},${PASSWORD},student,First,,,,`,
      `${dup.toUpperCase()},${PASSWORD},student,Second,,,,`,
      `${existing.username},${PASSWORD},student,Taken,,,,`,
      `${unique('n')},${PASSWORD},student`,
      `${unique('m')},${PASSWORD},teacher,,,,,`,
      `${unique('z')},${PASSWORD},student,Nul\u0000Name,,,,0000-01-01`,
    ].join('\n');
    const before = await userCount();
    const response = await importCsv(csv);
    expect(response.statusCode).toBe(400);
    expect(response.data.message).toMatch(/^7 of 9 rows have errors; nothing was imported$/);
    const details = response.data.details as { row: number; field: string; message: string }[];
    const at = (row: number) => details.filter((d) => d.row === row).map((d) => d.field);
    expect(at(2)).toEqual([]);
    expect(at(3)).toEqual(['username']);
    expect(at(4)).toEqual(expect.arrayContaining(['password', 'role', 'email', 'dateOfBirth']));
    expect(details.find((d) => d.row === 6)).toMatchObject({ field: 'username', message: expect.stringContaining('also row 5') });
    expect(details.find((d) => d.row === 7)).toMatchObject({ field: 'username', message: 'is already taken' });
    expect(at(8)).toEqual(['row']);
    expect(at(9)).toEqual(['name']);
    expect(details.find((d) => d.row === 10)).toMatchObject({ field: 'name', message: expect.stringContaining('NUL') });
    expect(at(10)).toEqual(['name', 'dateOfBirth']);
    expect(await userCount()).toBe(before);
  });

  it('rejects a header with unknown or missing columns, and files without rows', async () => {
    const bad = await importCsv('username,password,name,shoeSize\nabc,password123,Abc,42\n');
    expect(bad.statusCode).toBe(400);
    expect(bad.data.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 1, field: 'shoeSize' }),
        expect.objectContaining({ row: 1, field: 'role', message: 'column is missing' }),
      ]),
    );
    expect((await importCsv(`${HEADER}\n`)).statusCode).toBe(400);
    expect((await importCsv('"unterminated\n')).data.code).toBe('INVALID_CSV');
  });

  // 1,000 rows, and how long they take, are measured by `npm run bench`.
  it('imports many rows in one request, each with its role', async () => {
    const big = await registerInstitution(ctx.app);
    const rows = Array.from({ length: 40 }, (_, i) => `bulk${i},${PASSWORD},${i % 20 === 0 ? 'teacher' : 'student'},Person ${i},,,,`);
    const response = await importCsv([HEADER, ...rows].join('\n'), big);
    expect(response.statusCode).toBe(201);
    expect(response.data).toEqual({ created: 40, linked: 0 });
    expect(await userCount(big)).toBe(40);
    const teachers = await call(ctx.app, 'GET', '/api/users?role=teacher&limit=1', { token: big.adminToken });
    expect(teachers.data.total).toBe(2);
  });
});

describe('POST /api/users/import with guardian rows', () => {
  const HEADER = 'username,password,role,name,Guardian Of,relationship';
  const importCsv = (csv: string) =>
    call(ctx.app, 'POST', '/api/users/import', { token: ctx.school.adminToken, body: csv, headers: { 'content-type': 'text/csv' } });
  const linksOf = (guardianIds: string[]) =>
    tenant()
      .selectFrom('guardianLinks')
      .select(['guardianId', 'studentId', 'relationship', 'primary'])
      .where('guardianId', 'in', guardianIds)
      .orderBy('guardianId')
      .orderBy('studentId')
      .execute();

  it('creates guardians linked to students of the institution and to student rows of the same file, in one go', async () => {
    const existing = await createMember(ctx.app, ctx.school, 'student');
    const [mum, dad, kid, lone] = [unique('mum'), unique('dad'), unique('kid'), unique('lone')];
    const csv = [
      HEADER,
      // The student row comes after the guardians naming it; a name given twice links once; case is ignored.
      `${mum},${PASSWORD},guardian,Mia Mum,"${existing.username.toUpperCase()}; ${kid};${kid};",mother`,
      `${dad},${PASSWORD},guardian,Dan Dad,${kid},`,
      `${kid},${PASSWORD},student,Kim Kid,,`,
      `${lone},${PASSWORD},guardian,Lou Lone,,`,
    ].join('\n');
    const response = await importCsv(csv);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.data).toEqual({ created: 4, linked: 3 });

    const users = await tenant().selectFrom('users').select(['id', 'username', 'role']).where('username', 'in', [mum, dad, kid, lone]).execute();
    const idOf = (username: string) => users.find((user) => user.username === username)!.id;
    expect(Object.fromEntries(users.map((user) => [user.username, user.role]))).toEqual({ [mum]: 'guardian', [dad]: 'guardian', [kid]: 'student', [lone]: 'guardian' });
    const expected = [
      { guardianId: idOf(mum), studentId: existing.id, relationship: 'mother', primary: false },
      { guardianId: idOf(mum), studentId: idOf(kid), relationship: 'mother', primary: false },
      { guardianId: idOf(dad), studentId: idOf(kid), relationship: 'guardian', primary: false },
    ].sort((a, b) => a.guardianId.localeCompare(b.guardianId) || a.studentId.localeCompare(b.studentId));
    expect(await linksOf([idOf(mum), idOf(dad), idOf(lone)])).toEqual(expected);

    const logs = await asAdmin('GET', '/api/activity-logs?action=import');
    expect(logs.data.items[0]).toMatchObject({ targetType: 'user', details: { created: 4, linked: 3 } });
    const login = await call(ctx.app, 'POST', '/api/auth/login', { body: { username: mum, password: PASSWORD, institutionCode: ctx.school.code } });
    const children = await call(ctx.app, 'GET', '/api/guardians/me/children', { token: login.data.token });
    expect(children.statusCode, children.body).toBe(200);
    expect((children.data as unknown as { id: string }[]).map((child) => child.id).sort()).toEqual([existing.id, idOf(kid)].sort());
  });

  it('reports each guardianOf and relationship problem on its row, and creates nothing', async () => {
    const teacher = await createMember(ctx.app, ctx.school, 'teacher');
    const student = await createMember(ctx.app, ctx.school, 'student');
    const elsewhere = await registerInstitution(ctx.app);
    const foreignKid = await createMember(ctx.app, elsewhere, 'student');
    const [g1, g2, s1, t1, g3, g4] = [unique('g'), unique('g'), unique('s'), unique('t'), unique('g'), unique('g')];
    const nobody = unique('nobody');
    const csv = [
      HEADER,
      `${g1},${PASSWORD},guardian,Gia One,${student.username};${nobody};${foreignKid.username},`,
      `${g2},${PASSWORD},guardian,Gus Two,${teacher.username};${g1},father`,
      `${s1},${PASSWORD},student,Sue Kid,${student.username},`,
      `${t1},${PASSWORD},teacher,Tom Teach,,mother`,
      `${g3},${PASSWORD},guardian,Gil Three,${s1},aunt`,
      `${g4},${PASSWORD},guardian,Gwen Four,${s1},other`,
    ].join('\n');
    const before = await userCount();
    const linksBefore = await tenant().selectFrom('guardianLinks').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const response = await importCsv(csv);
    expect(response.statusCode).toBe(400);
    expectErrorShape(response);
    expect(response.data).toEqual({
      code: 'VALIDATION_ERROR',
      message: '5 of 6 rows have errors; nothing was imported',
      details: [
        { row: 2, field: 'guardianOf', message: `"${nobody}" is no student of the institution or of this file` },
        { row: 2, field: 'guardianOf', message: `"${foreignKid.username}" is no student of the institution or of this file` },
        { row: 3, field: 'guardianOf', message: `"${teacher.username}" is a teacher, not a student` },
        { row: 3, field: 'guardianOf', message: `"${g1}" is a guardian, not a student` },
        { row: 4, field: 'guardianOf', message: 'is only for guardian rows; this row is a student' },
        { row: 5, field: 'relationship', message: 'is only for guardian rows; this row is a teacher' },
        { row: 6, field: 'relationship', message: 'must be one of mother, father, guardian, other' },
      ],
    });
    expect(await userCount()).toBe(before);
    const linksAfter = await tenant().selectFrom('guardianLinks').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(linksAfter).toEqual(linksBefore);
  });
});

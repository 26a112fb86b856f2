import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { multipartBody, type Part, SAMPLES, STORAGE_DRIVERS, upload, useStorage } from '../../../test/files.js';
import { call, createMember, expectErrorShape, PASSWORD, registerInstitution, useSchool } from '../../../test/helpers.js';
import { tenantDb } from '../../db/tenant-schema.js';
import { institutionFilesDir } from '../../lib/storage/local.js';
import { assertOwnUploads, deleteFilesIfUnreferenced, removeStoredFiles } from './attachments.js';
import { sweepOrphanFiles } from './sweep.js';

const MAX_BYTES = 6 * 1024 * 1024 + 100;
const MAX_COUNT = 3;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe.each(STORAGE_DRIVERS)('files on the %s storage', (driver) => {
  const storage = useStorage(driver);
  const ctx = useSchool(Object.assign(storage.env, { FILE_MAX_BYTES: String(MAX_BYTES), FILES_MAX_COUNT: String(MAX_COUNT), FILE_SWEEP_INTERVAL_MS: '0' }));
  const tenant = () => tenantDb(ctx.app.db, ctx.school.schemaName);
  const stored = (institutionId = ctx.school.id) => storage.stored(ctx.app, institutionId);
  const fileRows = () => tenant().selectFrom('files').selectAll().orderBy('name').execute();
  const uploadLogs = () => tenant().selectFrom('activityLogs').select(['targetId', 'targetName', 'details', 'userId']).where('action', '=', 'upload').execute();

  /** Nothing of a refused request is kept: no row, no log entry, no bytes. */
  async function expectNothingKept(send: () => ReturnType<typeof call>) {
    const before = { rows: await fileRows(), logs: await uploadLogs(), stored: await stored() };
    const response = await send();
    expectErrorShape(response);
    expect({ rows: await fileRows(), logs: await uploadLogs(), stored: await stored() }).toEqual(before);
    return response;
  }

  beforeAll(async () => {
    // An attaching table as the assignments module makes them: files it holds are not orphans.
    await sql`create table ${sql.id(ctx.school.schemaName, 'testAttachments')} ("fileId" uuid not null references ${sql.id(ctx.school.schemaName, 'files')} (id) on delete restrict)`.execute(ctx.app.db);
  });

  describe('POST /api/files', () => {
    it('takes every accepted kind, decided from the bytes, stores exactly those bytes under <institution>/<id>, and logs each', async () => {
      const parts: Part[] = [
        { name: 'photo.jpg', content: SAMPLES.jpeg },
        { name: 'photo.JPEG', content: SAMPLES.jpeg },
        { name: 'chart.png', content: SAMPLES.png },
        { name: 'essay.pdf', content: SAMPLES.pdf },
        { name: 'old.doc', content: SAMPLES.doc },
        { name: 'new.docx', content: SAMPLES.docx },
        { name: 'streamed.docx', content: SAMPLES.streamedDocx },
        { name: 'notes.txt', content: SAMPLES.txt },
        { name: 'song.mp3', content: SAMPLES.mp3 },
        { name: 'voice.wav', content: SAMPLES.wav },
        { name: 'voice.webm', content: SAMPLES.webm },
        { name: 'voice.ogg', content: SAMPLES.ogg },
      ];
      const contentTypes: Record<string, string> = {
        jpg: 'image/jpeg', JPEG: 'image/jpeg', png: 'image/png', pdf: 'application/pdf', doc: 'application/msword',
        docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', txt: 'text/plain; charset=utf-8',
        mp3: 'audio/mpeg', wav: 'audio/wav', webm: 'audio/webm', ogg: 'audio/ogg',
      };
      const teacher = await createMember(ctx.app, ctx.school, 'teacher');
      for (let i = 0; i < parts.length; i += MAX_COUNT) {
        const batch = parts.slice(i, i + MAX_COUNT);
        const response = await upload(ctx.app, teacher.token, batch);
        expect(response.statusCode, response.body).toBe(201);
        expect(response.data).toEqual({
          files: batch.map((part) => ({
            id: expect.any(String),
            name: part.name,
            size: part.content.length,
            contentType: contentTypes[part.name.split('.')[1]!],
            sha256: sha256(part.content),
          })),
        });
        for (const [index, file] of (response.data.files as { id: string; name: string }[]).entries()) {
          const row = await tenant().selectFrom('files').selectAll().where('id', '=', file.id).executeTakeFirstOrThrow();
          expect(row).toEqual({ ...file, uploadedBy: teacher.id, size: batch[index]!.content.length, createdAt: expect.any(String) });
          expect(await stored()).toContain(`${ctx.school.id}/${file.id}`);
          const download = await call(ctx.app, 'GET', `/api/files/${file.id}`, { token: teacher.token });
          expect(download.statusCode).toBe(200);
          expect(download.rawPayload.equals(batch[index]!.content)).toBe(true);
          const logs = await tenant().selectFrom('activityLogs').select(['action', 'targetType', 'targetName', 'details', 'userId']).where('targetId', '=', file.id).execute();
          expect(logs).toEqual([{ action: 'upload', targetType: 'file', targetName: file.name, details: { size: batch[index]!.content.length, contentType: row.contentType }, userId: teacher.id }]);
        }
      }
    });

    it('streams a file larger than one S3 part (6 MB) and keeps its hash', async () => {
      const big = Buffer.concat([SAMPLES.pdf, Buffer.alloc(6 * 1024 * 1024, 0x41)]);
      const response = await upload(ctx.app, ctx.school.adminToken, [{ name: 'scan.pdf', content: big }]);
      expect(response.statusCode, response.body).toBe(201);
      expect(response.data.files[0]).toMatchObject({ size: big.length, sha256: sha256(big), contentType: 'application/pdf' });
      const download = await call(ctx.app, 'GET', `/api/files/${response.data.files[0].id}`, { token: ctx.school.adminToken });
      expect(download.rawPayload.equals(big)).toBe(true);
    });

    it('refuses bytes that are no accepted kind or another kind than the extension says (415 naming the file), keeping nothing of the request', async () => {
      const refused: Part[] = [
        { name: 'fake.jpg', content: SAMPLES.png },
        { name: 'program.txt', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]) },
        { name: 'archive.docx', content: SAMPLES.zip },
        { name: 'report.pdf', content: SAMPLES.txt },
        { name: 'tool.exe', content: SAMPLES.txt },
        { name: 'bad-utf8.txt', content: Buffer.from([0x68, 0xc3, 0x28, 0x69]) },
      ];
      for (const bad of refused) {
        const response = await expectNothingKept(() => upload(ctx.app, ctx.school.adminToken, [{ name: 'fine.txt', content: SAMPLES.txt }, bad]));
        expect(response.statusCode, bad.name).toBe(415);
        expect(response.data).toEqual({ code: 'UNSUPPORTED_FILE_TYPE', message: expect.stringContaining(`The file "${bad.name}" is not an accepted kind`) });
      }
    });

    it('refuses a file over the limit with 413, keeping nothing of the request', async () => {
      const response = await expectNothingKept(() =>
        upload(ctx.app, ctx.school.adminToken, [{ name: 'fine.txt', content: SAMPLES.txt }, { name: 'huge.pdf', content: Buffer.concat([SAMPLES.pdf, Buffer.alloc(MAX_BYTES)]) }]),
      );
      expect(response.statusCode).toBe(413);
      expect(response.data).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: `The file "huge.pdf" is larger than ${MAX_BYTES} bytes` });
    });

    it('takes a file of exactly the limit', async () => {
      const exact = Buffer.concat([SAMPLES.pdf, Buffer.alloc(MAX_BYTES - SAMPLES.pdf.length, 0x20)]);
      const response = await upload(ctx.app, ctx.school.adminToken, [{ name: 'exact.pdf', content: exact }]);
      expect(response.statusCode, response.body).toBe(201);
      expect(response.data.files[0].size).toBe(MAX_BYTES);
    });

    it('refuses more files than the limit with 400, keeping nothing', async () => {
      const parts = Array.from({ length: MAX_COUNT + 1 }, (_, i) => ({ name: `n${i}.txt`, content: SAMPLES.txt }));
      const response = await expectNothingKept(() => upload(ctx.app, ctx.school.adminToken, parts));
      expect(response.statusCode).toBe(400);
      expect(response.data).toEqual({
        code: 'VALIDATION_ERROR',
        message: `At most ${MAX_COUNT} files can be uploaded at once`,
        details: [{ field: 'files', message: `is file ${MAX_COUNT + 1}` }],
      });
    });

    it('refuses an empty file with 400, keeping nothing', async () => {
      const response = await expectNothingKept(() =>
        upload(ctx.app, ctx.school.adminToken, [{ name: 'fine.txt', content: SAMPLES.txt }, { name: 'empty.txt', content: Buffer.alloc(0) }]),
      );
      expect(response.statusCode).toBe(400);
      expect(response.data).toEqual({ code: 'VALIDATION_ERROR', message: 'The file "empty.txt" is empty', details: [{ field: 'files', message: 'is empty' }] });
    });

    it('wants multipart with at least one file', async () => {
      const json = await expectNothingKept(() => call(ctx.app, 'POST', '/api/files', { token: ctx.school.adminToken, body: { name: 'x' } }));
      expect(json.statusCode).toBe(415);
      expect(json.data).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the files as multipart/form-data' });
      const { payload, headers } = multipartBody([], { note: 'no file here' });
      const none = await expectNothingKept(() => call(ctx.app, 'POST', '/api/files', { token: ctx.school.adminToken, body: payload, headers }));
      expect(none.statusCode).toBe(400);
      expect(none.data).toEqual({ code: 'VALIDATION_ERROR', message: 'Send at least one file', details: [{ field: 'files', message: 'no file in the request' }] });
      const truncated = await expectNothingKept(() =>
        call(ctx.app, 'POST', '/api/files', { token: ctx.school.adminToken, body: payload.subarray(0, payload.length - 20), headers }),
      );
      expect(truncated.statusCode).toBe(400);
      expect(truncated.data).toEqual({ code: 'BAD_REQUEST', message: expect.stringMatching(/^The multipart body is malformed or incomplete: /) });
    });

    it('keeps nothing when storing fails after every byte was read (the flush to disk, the last S3 part)', async () => {
      const put = ctx.app.fileStorage.put.bind(ctx.app.fileStorage);
      // The first file is stored and then reported lost, while the second is being read.
      let calls = 0;
      const failing = vi.spyOn(ctx.app.fileStorage, 'put').mockImplementation(async (institutionId, fileId, body) => {
        await put(institutionId, fileId, body);
        if (calls++ === 0) throw new Error('the disk went away');
      });
      try {
        const response = await expectNothingKept(() => upload(ctx.app, ctx.school.adminToken, [{ name: 'lost.txt', content: SAMPLES.txt }, { name: 'kept.pdf', content: SAMPLES.pdf }]));
        expect(response.statusCode).toBe(500);
      } finally {
        failing.mockRestore();
      }
    });

    it('answers a store that fails first with its own error, not as a malformed request', async () => {
      const failing = vi.spyOn(ctx.app.fileStorage, 'put').mockImplementation(async (_institutionId, _fileId, body) => {
        const error = new Error('no space left on device');
        body.destroy(error);
        throw error;
      });
      try {
        const response = await expectNothingKept(() => upload(ctx.app, ctx.school.adminToken, [{ name: 'big.pdf', content: Buffer.concat([SAMPLES.pdf, Buffer.alloc(1024 * 1024, 0x20)]) }]));
        expect(response.statusCode).toBe(500);
      } finally {
        failing.mockRestore();
      }
    });

    it('keeps nothing of a request whose client goes away half-way', async () => {
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = ctx.app.server.address() as AddressInfo;
      const rowsBefore = await fileRows();
      const { payload, headers } = multipartBody([
        { name: 'first.txt', content: SAMPLES.txt },
        { name: 'second.pdf', content: Buffer.concat([SAMPLES.pdf, Buffer.alloc(2 * 1024 * 1024, 0x20)]) },
      ]);
      await new Promise<void>((resolve) => {
        const request = httpRequest({
          port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/api/files',
          headers: { ...headers, 'content-length': String(payload.length), authorization: `Bearer ${ctx.school.adminToken}` },
        });
        request.on('error', () => resolve());
        request.write(payload.subarray(0, 1024 * 1024));
        setTimeout(() => {
          request.destroy();
          resolve();
        }, 300);
      });
      await expect.poll(async () => ({ rows: await fileRows(), stored: await stored() }), { timeout: 10_000 }).toEqual({
        rows: rowsBefore,
        stored: rowsBefore.map((row) => `${ctx.school.id}/${row.id}`).sort(),
      });
    });
  });

  describe('names', () => {
    const cases = [
      { sent: '../../etc/passwd', name: 'passwd.txt', ascii: 'passwd.txt' },
      { sent: '..\\..\\windows\\win.ini.txt', name: 'win.ini.txt', ascii: 'win.ini.txt' },
      { sent: 'con.txt', name: '_con.txt', ascii: '_con.txt' },
      { sent: 'LPT1.txt', name: '_LPT1.txt', ascii: '_LPT1.txt' },
      { sent: 'nul\u0000byte.txt', name: 'nulbyte.txt', ascii: 'nulbyte.txt' },
      { sent: 'invoice\u202Etxt.exe\u202C.txt', name: 'invoicetxt.exe.txt', ascii: 'invoicetxt.exe.txt' },
      { sent: 'notes. . .txt. . ', name: 'notes. . .txt', ascii: 'notes. . .txt' },
      { sent: `${'a'.repeat(300)}.txt`, name: `${'a'.repeat(196)}.txt`, ascii: `${'a'.repeat(196)}.txt` },
      { sent: 'Résumé <final> 100%.txt', name: 'Résumé _final_ 100%.txt', ascii: 'R_sum_ _final_ 100_.txt' },
      { sent: '...', name: 'file.txt', ascii: 'file.txt' },
    ];
    it.each(cases)('stores $sent safely and sends it back as $name', async ({ sent, name, ascii }) => {
      const response = await upload(ctx.app, ctx.school.adminToken, [{ name: sent, content: SAMPLES.txt }]);
      expect(response.statusCode, response.body).toBe(201);
      const file = response.data.files[0] as { id: string; name: string };
      expect(file.name).toBe(name);
      expect(await stored()).toContain(`${ctx.school.id}/${file.id}`);
      const download = await call(ctx.app, 'GET', `/api/files/${file.id}`, { token: ctx.school.adminToken });
      const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      expect(download.headers['content-disposition']).toBe(`attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`);
    });
  });

  describe('GET /api/files/:id', () => {
    let text: Buffer;
    let fileId: string;
    let uploader: Awaited<ReturnType<typeof createMember>>;
    beforeAll(async () => {
      uploader = await createMember(ctx.app, ctx.school, 'student');
      text = Buffer.from('0123456789'.repeat(300));
      const response = await upload(ctx.app, uploader.token, [{ name: 'digits.txt', content: text }]);
      fileId = response.data.files[0].id;
    });
    const get = (headers: Record<string, string> = {}, token = uploader.token) => call(ctx.app, 'GET', `/api/files/${fileId}`, { token, headers });

    it('sends the file as an attachment with its type, nosniff, a strong ETag and Accept-Ranges, uncompressed', async () => {
      const response = await get({ 'accept-encoding': 'gzip, br' });
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.equals(text)).toBe(true);
      expect(response.headers).toMatchObject({
        'content-type': 'text/plain; charset=utf-8',
        'content-length': String(text.length),
        'content-disposition': `attachment; filename="digits.txt"; filename*=UTF-8''digits.txt`,
        'x-content-type-options': 'nosniff',
        etag: `"${sha256(text)}"`,
        'accept-ranges': 'bytes',
      });
      expect(response.headers['content-encoding']).toBeUndefined();
    });

    it('answers HEAD with the headers of the download and no body', async () => {
      const head = await call(ctx.app, 'HEAD', `/api/files/${fileId}`, { token: uploader.token });
      const full = await get();
      expect(head.statusCode).toBe(200);
      expect(head.rawPayload.length).toBe(0);
      const sent = ['content-type', 'content-length', 'content-disposition', 'x-content-type-options', 'etag', 'accept-ranges', 'cache-control'];
      const pick = (headers: Record<string, unknown>) => Object.fromEntries(sent.map((name) => [name, headers[name]]));
      expect(pick(head.headers)).toEqual(pick(full.headers));
      expect(head.headers['content-length']).toBe(String(text.length));
      const other = await createMember(ctx.app, ctx.school, 'student');
      expect((await call(ctx.app, 'HEAD', `/api/files/${fileId}`, { token: other.token })).statusCode).toBe(404);
    });

    it('answers 304 to If-None-Match with its ETag', async () => {
      const etag = `"${sha256(text)}"`;
      for (const header of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
        const response = await get({ 'if-none-match': header });
        expect(response.statusCode, header).toBe(304);
        expect(response.body).toBe('');
        expect(response.headers.etag).toBe(etag);
      }
      expect((await get({ 'if-none-match': '"other"' })).statusCode).toBe(200);
    });

    it('serves one byte range as 206 with Content-Range, and 416 past the end', async () => {
      const ranges: [string, number, number][] = [
        ['bytes=0-9', 0, 9],
        ['bytes=100-', 100, text.length - 1],
        ['bytes=-5', text.length - 5, text.length - 1],
        ['bytes=2990-5000', 2990, text.length - 1],
      ];
      for (const [header, start, end] of ranges) {
        const response = await get({ range: header, 'accept-encoding': 'gzip' });
        expect(response.statusCode, header).toBe(206);
        expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/${text.length}`);
        expect(response.headers['content-length']).toBe(String(end - start + 1));
        expect(response.headers['content-encoding']).toBeUndefined();
        expect(response.rawPayload.equals(text.subarray(start, end + 1)), header).toBe(true);
      }
      const past = await get({ range: `bytes=${text.length}-` });
      expect(past.statusCode).toBe(416);
      expect(past.headers['content-range']).toBe(`bytes */${text.length}`);
      expect(past.data).toEqual({ code: 'RANGE_NOT_SATISFIABLE', message: `The file has ${text.length} bytes; the range asked for starts past its end` });
      // Several ranges, other units and a range under an old ETag get the whole file.
      const wholeFile: Record<string, string>[] = [{ range: 'bytes=0-1,5-6' }, { range: 'lines=1-2' }, { range: 'bytes=0-1', 'if-range': '"old"' }];
      for (const headers of wholeFile) {
        const whole = await get(headers);
        expect(whole.statusCode, JSON.stringify(headers)).toBe(200);
        expect(whole.rawPayload.equals(text)).toBe(true);
      }
    });

    it('lets a player seek in an audio file: ranges of an mp3 as audio/mpeg, If-Range with its ETag', async () => {
      const audio = Buffer.concat([SAMPLES.mp3, Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251))]);
      const [song] = (await upload(ctx.app, uploader.token, [{ name: 'lecture.mp3', content: audio }])).data.files as { id: string; sha256: string }[];
      const seek = (headers: Record<string, string>) => call(ctx.app, 'GET', `/api/files/${song!.id}`, { token: uploader.token, headers });
      for (const [start, end] of [[0, 1], [100_000, 100_000 + 65_535], [audio.length - 100, audio.length - 1]] as const) {
        const response = await seek({ range: `bytes=${start}-${end}`, 'if-range': `"${song!.sha256}"` });
        expect(response.statusCode).toBe(206);
        expect(response.headers).toMatchObject({
          'content-type': 'audio/mpeg',
          'content-range': `bytes ${start}-${end}/${audio.length}`,
          'content-length': String(end - start + 1),
          'accept-ranges': 'bytes',
        });
        expect(response.rawPayload.equals(audio.subarray(start, end + 1))).toBe(true);
      }
      const open = await seek({ range: 'bytes=190000-' });
      expect(open.statusCode).toBe(206);
      expect(open.rawPayload.equals(audio.subarray(190_000))).toBe(true);
    });

    it('is for its uploader and admins; to anyone else it does not exist, exactly like an unknown id', async () => {
      expect((await get({}, ctx.school.adminToken)).statusCode).toBe(200);
      const classmate = await createMember(ctx.app, ctx.school, 'student');
      const teacher = await createMember(ctx.app, ctx.school, 'teacher');
      const outsider = await registerInstitution(ctx.app);
      const unknown = await call(ctx.app, 'GET', `/api/files/${randomUUID()}`, { token: classmate.token });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.data).toEqual({ code: 'NOT_FOUND', message: 'File not found' });
      for (const token of [classmate.token, teacher.token, outsider.adminToken]) {
        const response = await get({}, token);
        expect({ status: response.statusCode, body: response.data }).toEqual({ status: unknown.statusCode, body: unknown.data });
      }
    });

    it('lets a registered access rule grant reading', async () => {
      const teacher = await createMember(ctx.app, ctx.school, 'teacher');
      expect((await get({}, teacher.token)).statusCode).toBe(404);
      ctx.app.fileAccess.register(async (_db, principal, id) => principal.id === teacher.id && id === fileId);
      expect((await get({}, teacher.token)).statusCode).toBe(200);
    });
  });

  describe('attaching', () => {
    it('assertOwnUploads accepts the uploader\'s own files and lists every bad id', async () => {
      const student = await createMember(ctx.app, ctx.school, 'student');
      const other = await createMember(ctx.app, ctx.school, 'student');
      const [mine] = (await upload(ctx.app, student.token, [{ name: 'a.txt', content: SAMPLES.txt }])).data.files as { id: string }[];
      const [theirs] = (await upload(ctx.app, other.token, [{ name: 'b.txt', content: SAMPLES.txt }])).data.files as { id: string }[];
      await expect(assertOwnUploads(tenant(), student.id, [mine!.id])).resolves.toBeUndefined();
      const unknown = randomUUID();
      await expect(assertOwnUploads(tenant(), student.id, [mine!.id, theirs!.id, unknown, mine!.id])).rejects.toMatchObject({
        statusCode: 400,
        code: 'VALIDATION_ERROR',
        details: [
          { field: 'fileIds.1', message: `the file ${theirs!.id} does not exist or was not uploaded by you` },
          { field: 'fileIds.2', message: `the file ${unknown} does not exist or was not uploaded by you` },
          { field: 'fileIds.3', message: `lists the file ${mine!.id} a second time` },
        ],
      });
    });

    it('deleteFilesIfUnreferenced deletes only the rows nothing refers to', async () => {
      const ids = ((await upload(ctx.app, ctx.school.adminToken, [{ name: 'held.txt', content: SAMPLES.txt }, { name: 'free.txt', content: SAMPLES.txt }])).data.files as { id: string }[]).map((f) => f.id);
      await sql`insert into ${sql.id(ctx.school.schemaName, 'testAttachments')} ("fileId") values (${ids[0]})`.execute(ctx.app.db);
      const deleted = await ctx.app.db.transaction().execute((trx) => deleteFilesIfUnreferenced(tenantDb(trx, ctx.school.schemaName), ids));
      expect(deleted).toEqual([ids[1]]);
      expect(await tenant().selectFrom('files').select('id').where('id', 'in', ids).execute()).toEqual([{ id: ids[0] }]);
      // After the commit the caller removes the bytes.
      await removeStoredFiles(ctx.app.fileStorage, ctx.school.id, deleted, ctx.app.log);
      const keys = await stored();
      expect([keys.includes(`${ctx.school.id}/${ids[0]}`), keys.includes(`${ctx.school.id}/${ids[1]}`)]).toEqual([true, false]);
    });
  });

  describe('the orphan sweep', () => {
    it('deletes files nothing refers to once older than the TTL, rows and bytes, and keeps attached and young ones', async () => {
      const ids = ((await upload(ctx.app, ctx.school.adminToken, [{ name: 'kept.txt', content: SAMPLES.txt }, { name: 'orphan.txt', content: SAMPLES.txt }])).data.files as { id: string }[]).map((f) => f.id);
      await sql`insert into ${sql.id(ctx.school.schemaName, 'testAttachments')} ("fileId") values (${ids[0]})`.execute(ctx.app.db);
      const ttlMs = 24 * 60 * 60_000;
      const options = { ttlMs, log: ctx.app.log };
      // Young: nothing goes.
      await sweepOrphanFiles(ctx.app.db, ctx.app.fileStorage, { ...options, now: new Date(Date.now() + ttlMs - 60_000) });
      expect(await tenant().selectFrom('files').select('id').where('id', 'in', ids).execute()).toHaveLength(2);
      // A day later the orphan goes; two sweeps at once (two instances) delete each file once.
      const later = new Date(Date.now() + ttlMs + 60_000);
      const counts = await Promise.all([1, 2].map(() => sweepOrphanFiles(ctx.app.db, ctx.app.fileStorage, { ...options, now: later })));
      expect(counts[0]! + counts[1]!).toBeGreaterThan(0);
      const attached = await sql<{ id: string }>`select "fileId" as id from ${sql.id(ctx.school.schemaName, 'testAttachments')} order by 1`.execute(ctx.app.db);
      expect(await tenant().selectFrom('files').select('id').orderBy('id').execute()).toEqual(attached.rows);
      expect(await stored()).toEqual(attached.rows.map((row) => `${ctx.school.id}/${row.id}`).sort());
    });

    it('removes stored bytes without a row once older than the TTL (a crash between storing and inserting), and stale temporary files', async () => {
      const [kept] = ((await upload(ctx.app, ctx.school.adminToken, [{ name: 'kept.txt', content: SAMPLES.txt }])).data.files as { id: string }[]).map((f) => f.id);
      await sql`insert into ${sql.id(ctx.school.schemaName, 'testAttachments')} ("fileId") values (${kept})`.execute(ctx.app.db);
      const leftover = randomUUID();
      await ctx.app.fileStorage.put(ctx.school.id, leftover, Readable.from([SAMPLES.txt]));
      const temporary = `.${randomUUID()}.0123456789ab.part`;
      if (driver === 'local') writeFileSync(path.join(institutionFilesDir(ctx.app.config.dataDir, ctx.school.id), temporary), 'half a file');
      const leftovers = [`${ctx.school.id}/${leftover}`, ...(driver === 'local' ? [`${ctx.school.id}/${temporary}`] : [])];
      const ttlMs = 24 * 60 * 60_000;
      const options = { ttlMs, log: ctx.app.log };
      const keptKeys = async () => (await tenant().selectFrom('files').select('id').execute()).map((row) => `${ctx.school.id}/${row.id}`);

      await sweepOrphanFiles(ctx.app.db, ctx.app.fileStorage, { ...options, now: new Date(Date.now() + ttlMs - 60_000) });
      expect(await stored()).toEqual([...(await keptKeys()), ...leftovers].sort());

      const later = new Date(Date.now() + ttlMs + 60_000);
      const counts = await Promise.all([1, 2].map(() => sweepOrphanFiles(ctx.app.db, ctx.app.fileStorage, { ...options, now: later })));
      expect(counts[0]! + counts[1]!).toBeGreaterThanOrEqual(1);
      expect(await keptKeys()).toContain(`${ctx.school.id}/${kept}`);
      expect(await stored()).toEqual((await keptKeys()).sort());
    });
  });

  describe('deleting the institution', () => {
    it('removes its stored files and no other institution\'s', async () => {
      const doomed = await registerInstitution(ctx.app);
      const ids = ((await upload(ctx.app, doomed.adminToken, [{ name: 'a.txt', content: SAMPLES.txt }, { name: 'b.pdf', content: SAMPLES.pdf }])).data.files as { id: string }[]).map((f) => f.id);
      expect(await stored(doomed.id)).toEqual(ids.map((id) => `${doomed.id}/${id}`).sort());
      const ours = await stored();
      const response = await call(ctx.app, 'DELETE', '/api/auth/delete-account', { token: doomed.adminToken, body: { password: PASSWORD } });
      expect(response.statusCode).toBe(200);
      expect(await stored(doomed.id)).toEqual([]);
      expect(await stored()).toEqual(ours);
    });
  });
});

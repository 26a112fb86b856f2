/**
 * The demo school's coursework: per class, five assignments from its curriculum's teachers with
 * three weeks of history behind them (hand-ins, late work, resubmissions, grades, a hand-back).
 *
 * The API refuses due dates in the past and hand-ins after them, so history cannot be replayed
 * through it; and some 1,500 requests would take seconds. So the plan is worked out here without
 * the database (deterministic for a given `now`) and written in one transaction as the API would
 * have left it: files stored through the files module's inspector (kind, size and hash decided
 * from the bytes), the submission row matching its latest version, grades of the latest version
 * by the assignment's teacher, and an activity-log entry for every write at the time it happened.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Insertable } from 'kysely';
import { type TenantDb, tenantDb, tenantSchemaName } from '../../db/tenant-schema.js';
import type { ActivityLogTable } from '../../db/types.js';
import { cleanFileName } from '../../lib/file-names.js';
import type { AssignmentTable, SubmissionTable, SubmissionVersionTable } from '../assignments/tables.js';
import { UploadInspector } from '../files/inspector.js';
import { storePart } from '../files/service.js';
import type { FileTable } from '../files/tables.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What the seed reads of the school it adds coursework to. */
export interface SchoolClass {
  id: string;
  name: string;
  /** Its curriculum, main subjects first. */
  curriculum: { subjectId: string; subject: string; teacherId: string }[];
  students: { id: string; username: string }[];
}

interface Template {
  title: string;
  dueIn: number;
  /** How long before its due date it was set. */
  setBefore: number;
  maxPoints: number;
  allowLate?: boolean;
  /** The teacher attached a worksheet (pdf in even classes, txt in odd ones). */
  worksheet?: boolean;
  /** Of every 10 students, how many have handed in. */
  handIn: number;
  /** Whether student `s` of `n` has been graded (the others wait). */
  graded: (s: number, n: number) => boolean;
  /** When the teacher graded, after the later of the due date and the hand-in. */
  gradedAfter: number;
}

/** Two past and graded, one just past and being graded, two still open. */
const TEMPLATES: Template[] = [
  { title: 'Chapter review', dueIn: -14 * DAY, setBefore: 7 * DAY, maxPoints: 20, handIn: 9, graded: () => true, gradedAfter: 2 * DAY },
  { title: 'Project', dueIn: -3 * DAY, setBefore: 10 * DAY, maxPoints: 50, allowLate: true, handIn: 9, graded: (s, n) => s < n / 2, gradedAfter: 2 * DAY },
  { title: 'Worksheet', dueIn: -1 * DAY, setBefore: 5 * DAY, maxPoints: 10, handIn: 8, graded: (s) => s % 4 === 0, gradedAfter: 3 * HOUR },
  { title: 'Reading notes', dueIn: 4 * DAY, setBefore: 6 * DAY, maxPoints: 100, worksheet: true, handIn: 5, graded: () => false, gradedAfter: 0 },
  { title: 'Essay draft', dueIn: 10 * DAY, setBefore: 11 * DAY, maxPoints: 100, handIn: 2, graded: () => false, gradedAfter: 0 },
];

const FEEDBACK = [
  'Well argued; check your spelling in the second half.',
  'Good work. Show each step of the calculation next time.',
  'Clear and complete. Excellent!',
  'A good start; the conclusion needs more evidence.',
  'Neat and on time. Revise the last question.',
];
const HANDED_BACK = 'Please answer questions 3 and 4 as well, then hand it in again.';

export interface PlannedFile {
  id: string;
  name: string;
  bytes: Buffer;
  uploadedBy: string;
  at: Date;
}

interface PlannedVersion {
  id: string;
  version: number;
  text: string;
  late: boolean;
  at: Date;
  fileIds: string[];
}

interface PlannedSubmission {
  id: string;
  studentId: string;
  versions: PlannedVersion[];
  outcome?: { kind: 'graded'; points: number; feedback: string | null; at: Date } | { kind: 'reassigned'; feedback: string; at: Date };
}

export interface PlannedAssignment {
  id: string;
  classId: string;
  subjectId: string;
  teacherId: string;
  title: string;
  description: string;
  createdAt: Date;
  dueAt: Date;
  maxPoints: number;
  allowLate: boolean;
  fileIds: string[];
  submissions: PlannedSubmission[];
}

export interface CourseworkPlan {
  assignments: PlannedAssignment[];
  files: PlannedFile[];
}

/** A one-page PDF showing `lines` (ASCII), with a correct cross-reference table. */
export function onePagePdf(lines: string[]): Buffer {
  const text = lines.map((line, i) => `BT /F1 12 Tf 72 ${720 - i * 18} Td (${line.replace(/[\\()]/g, '\\$&')}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const offset = body.length;
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/**
 * Who did what and when, from indices only: student `s` of class `c` on template `k` hands in
 * when (7s + 3k + c) mod 10 is below the template's `handIn`; 4 hands in two or three versions,
 * 6 and 7 hand in late where late work is taken, 1 (every other student) attaches a file; on the
 * first assignment the first student with 5 is handed back the work instead of graded.
 */
export function planCoursework(classes: SchoolClass[], now: Date): CourseworkPlan {
  const files: PlannedFile[] = [];
  const assignments = classes.flatMap((klass, c) =>
    TEMPLATES.slice(0, klass.curriculum.length).map((template, k) => {
      const row = klass.curriculum[k]!;
      const title = `${row.subject}: ${template.title}`;
      const dueAt = new Date(now.getTime() + template.dueIn);
      const createdAt = new Date(dueAt.getTime() - template.setBefore);
      const fileIds: string[] = [];
      if (template.worksheet) {
        const id = randomUUID();
        const lines = [title, `Class ${klass.name}`, 'Read the chapter and note three questions you would ask its author.'];
        const pdf = c % 2 === 0;
        files.push({
          id,
          name: `${slug(title)}-${klass.name}.${pdf ? 'pdf' : 'txt'}`,
          bytes: pdf ? onePagePdf(lines) : Buffer.from(`${lines.join('\n')}\n`),
          uploadedBy: row.teacherId,
          at: new Date(createdAt.getTime() - 5 * MINUTE),
        });
        fileIds.push(id);
      }
      const open = { from: createdAt.getTime() + 2 * HOUR, to: Math.min(dueAt.getTime(), now.getTime()) - HOUR };
      let handedBack = false;
      const n = klass.students.length;
      const submissions = klass.students.flatMap((student, s): PlannedSubmission[] => {
        const h = (7 * s + 3 * k + c) % 10;
        if (h >= template.handIn) return [];
        const count = h === 4 ? 2 + (s % 2) : 1;
        const first = open.from + ((open.to - open.from) * ((37 * s + 11 * k) % 60)) / 100;
        const lateAt = template.allowLate && (h === 6 || h === 7) && dueAt < now ? dueAt.getTime() + (1 + ((5 * s) % 20)) * HOUR : undefined;
        const versions = Array.from({ length: count }, (_, i): PlannedVersion => {
          const last = i === count - 1;
          const at = new Date(Math.floor((last && lateAt ? lateAt : first + ((open.to - first) * i) / count) / MINUTE) * MINUTE);
          const fileIds: string[] = [];
          if (last && h === 1 && s % 2 === 0) {
            const id = randomUUID();
            files.push({ id, name: `${slug(title)}-${student.username}.txt`, bytes: Buffer.from(`${title}\n${student.username}, version ${i + 1}\n\nMy answers, in full.\n`), uploadedBy: student.id, at: new Date(at.getTime() - MINUTE) });
            fileIds.push(id);
          }
          return { id: randomUUID(), version: i + 1, text: i === 0 ? `My work on ${title}.` : `Version ${i + 1}: corrected after checking my answers.`, late: at > dueAt, at, fileIds };
        });
        const handedIn = versions.at(-1)!.at.getTime();
        const at = new Date(Math.max(handedIn, dueAt.getTime()) + template.gradedAfter + 7 * s * MINUTE);
        let outcome: PlannedSubmission['outcome'];
        if (k === 0 && h === 5 && !handedBack) {
          handedBack = true;
          outcome = { kind: 'reassigned', feedback: HANDED_BACK, at };
        } else if (template.graded(s, n)) {
          const share = (55 + ((13 * s + 7 * k + 3 * c) % 41)) / 100;
          const points = Math.round(template.maxPoints * share * (lateAt ? 0.9 : 1));
          outcome = { kind: 'graded', points, feedback: (s + k) % 3 === 0 ? FEEDBACK[(s + c) % FEEDBACK.length]! : null, at };
        }
        return [{ id: randomUUID(), studentId: student.id, versions, ...(outcome ? { outcome } : {}) }];
      });
      return {
        id: randomUUID(),
        classId: klass.id,
        subjectId: row.subjectId,
        teacherId: row.teacherId,
        title,
        description: `${template.title} for ${row.subject}, class ${klass.name}. Hand in your answers as text, a file or both.`,
        createdAt,
        dueAt,
        maxPoints: template.maxPoints,
        allowLate: template.allowLate ?? false,
        fileIds,
        submissions,
      };
    }),
  );
  return { assignments, files };
}

/** The school's classes with their curricula (most periods first) and students, in a stable order. */
async function readSchool(db: TenantDb): Promise<SchoolClass[]> {
  const classes = await db.selectFrom('classes').select(['id', 'name']).orderBy('grade').orderBy('name').execute();
  const curriculum = await db
    .selectFrom('curriculum as c')
    .innerJoin('subjects as s', 's.id', 'c.subjectId')
    .select(['c.classId', 'c.subjectId', 'c.teacherId', 's.name as subject'])
    .orderBy('c.periodsPerWeek', 'desc')
    .orderBy('s.name')
    .execute();
  const students = await db
    .selectFrom('enrollments as e')
    .innerJoin('users as u', 'u.id', 'e.studentId')
    .select(['e.classId', 'u.id', 'u.username'])
    .orderBy('u.username')
    .execute();
  return classes.map((klass) => ({
    ...klass,
    curriculum: curriculum.filter((row) => row.classId === klass.id),
    students: students.filter((row) => row.classId === klass.id),
  }));
}

/** An activity-log entry as `request.change` writes it, at the time the seeded history says. */
type Entry = Omit<Insertable<ActivityLogTable>, 'userRole' | 'userName' | 'ip' | 'userAgent'> & { userId: string; createdAt: Date };

/** Rows of tables whose `createdAt` (and `updatedAt`) the database sets; the seed writes the history's own. */
type Backdated<T> = Insertable<T> & { createdAt: Date; updatedAt?: Date };

async function insertAll<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 1000) await insert(rows.slice(i, i + 1000));
}

/** Stores the planned files' bytes as uploads are stored, returning their rows. */
async function storeFiles(app: FastifyInstance, institutionId: string, files: PlannedFile[]): Promise<Backdated<FileTable>[]> {
  const rows: Backdated<FileTable>[] = [];
  for (let i = 0; i < files.length; i += 8) {
    const batch = files.slice(i, i + 8);
    rows.push(
      ...(await Promise.all(
        batch.map(async (file) => {
          const inspector = new UploadInspector(cleanFileName(file.name), 'files', app.config.files.maxBytes);
          await storePart(app.fileStorage, institutionId, file.id, Readable.from([file.bytes]), inspector);
          return { id: file.id, ...inspector.result(), uploadedBy: file.uploadedBy, createdAt: file.at };
        }),
      )),
    );
  }
  return rows;
}

export interface CourseworkCounts {
  assignments: number;
  submissions: number;
  versions: number;
  late: number;
  graded: number;
  reassigned: number;
  files: number;
}

/** Adds the plan's rows and their activity-log entries to the school, all in one transaction. */
async function writeCoursework(db: TenantDb, plan: CourseworkPlan, files: Backdated<FileTable>[]) {
  const entries: Entry[] = files.map((file) => ({
    userId: file.uploadedBy,
    action: 'upload',
    targetType: 'file',
    targetId: file.id!,
    targetName: file.name,
    details: JSON.stringify({ size: file.size, contentType: file.contentType }),
    createdAt: file.createdAt,
  }));
  const assignments: Backdated<AssignmentTable>[] = [];
  const submissions: Backdated<SubmissionTable>[] = [];
  const versions: Insertable<SubmissionVersionTable>[] = [];
  const versionFiles: { versionId: string; fileId: string }[] = [];
  for (const a of plan.assignments) {
    const { id, title, teacherId, dueAt, maxPoints, allowLate, fileIds } = a;
    assignments.push({ id, title, description: a.description, subjectId: a.subjectId, teacherId, dueAt, maxPoints, allowLate, createdAt: a.createdAt, updatedAt: a.createdAt });
    entries.push({
      userId: teacherId,
      action: 'create',
      targetType: 'assignment',
      targetId: id,
      targetName: title,
      details: JSON.stringify({ teacherId, classIds: [a.classId], subjectId: a.subjectId, dueAt: dueAt.toISOString(), maxPoints, allowLate, fileIds }),
      createdAt: a.createdAt,
    });
    for (const submission of a.submissions) {
      const latest = submission.versions.at(-1)!;
      const { outcome, studentId } = submission;
      for (const v of submission.versions) {
        versions.push({ id: v.id, submissionId: submission.id, version: v.version, text: v.text, late: v.late, submittedAt: v.at });
        versionFiles.push(...v.fileIds.map((fileId) => ({ versionId: v.id, fileId })));
        entries.push({
          userId: studentId,
          action: 'submit',
          targetType: 'submission',
          targetId: submission.id,
          targetName: title,
          details: JSON.stringify({ assignmentId: id, version: v.version, late: v.late, fileIds: v.fileIds }),
          createdAt: v.at,
        });
      }
      const graded = outcome?.kind === 'graded' ? outcome : undefined;
      submissions.push({
        id: submission.id,
        assignmentId: id,
        studentId,
        status: outcome?.kind ?? 'submitted',
        version: latest.version,
        late: latest.late,
        submittedAt: latest.at,
        points: graded?.points ?? null,
        feedback: outcome?.feedback ?? null,
        accepted: graded ? true : null,
        gradedVersion: graded ? latest.version : null,
        gradedBy: graded ? teacherId : null,
        gradedAt: graded?.at ?? null,
        createdAt: submission.versions[0]!.at,
        updatedAt: outcome?.at ?? latest.at,
      });
      if (outcome) {
        const details = graded
          ? { assignmentId: id, studentId, version: latest.version, points: graded.points, accepted: true, regraded: false }
          : { assignmentId: id, studentId, version: latest.version, previousStatus: 'submitted' };
        entries.push({ userId: teacherId, action: outcome.kind === 'graded' ? 'grade' : 'reassign', targetType: 'submission', targetId: submission.id, targetName: title, details: JSON.stringify(details), createdAt: outcome.at });
      }
    }
  }
  const users = new Map((await db.selectFrom('users').select(['id', 'name', 'role']).execute()).map((user) => [user.id, user]));
  const logRows: Backdated<ActivityLogTable>[] = entries
    .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime())
    .map((entry) => ({ ...entry, userRole: users.get(entry.userId)!.role, userName: users.get(entry.userId)!.name, ip: null, userAgent: 'npm run seed:demo' }));

  await insertAll(files, (chunk) => db.insertInto('files').values(chunk).execute());
  await insertAll(assignments, (chunk) => db.insertInto('assignments').values(chunk).execute());
  await db.insertInto('assignmentClasses').values(plan.assignments.map((a) => ({ assignmentId: a.id, classId: a.classId }))).execute();
  // `addedAt` is the database's on a request; here the assignment's creation, which attached them.
  const attached = plan.assignments.flatMap((a) => a.fileIds.map((fileId) => ({ assignmentId: a.id, fileId, addedAt: a.createdAt })));
  if (attached.length > 0) await db.insertInto('assignmentFiles').values(attached as never).execute();
  await insertAll(submissions, (chunk) => db.insertInto('submissions').values(chunk).execute());
  await insertAll(versions, (chunk) => db.insertInto('submissionVersions').values(chunk).execute());
  await insertAll(versionFiles, (chunk) => db.insertInto('submissionVersionFiles').values(chunk).execute());
  await insertAll(logRows, (chunk) => db.insertInto('activityLogs').values(chunk).execute());
  return {
    assignments: assignments.length,
    submissions: submissions.length,
    versions: versions.length,
    late: submissions.filter((row) => row.late).length,
    graded: submissions.filter((row) => row.status === 'graded').length,
    reassigned: submissions.filter((row) => row.status === 'reassigned').length,
    files: files.length,
  };
}

/** Seeds the coursework of the institution's classes (see the top of this file). */
export async function seedCoursework(app: FastifyInstance, institutionId: string, now = new Date()): Promise<CourseworkCounts> {
  const schemaName = tenantSchemaName(institutionId);
  const plan = planCoursework(await readSchool(tenantDb(app.db, schemaName)), new Date(Math.floor(now.getTime() / MINUTE) * MINUTE));
  try {
    const files = await storeFiles(app, institutionId, plan.files);
    return await app.db.transaction().execute((trx) => writeCoursework(tenantDb(trx, schemaName), plan, files));
  } catch (error) {
    // Bytes without rows are unreachable; remove them rather than leave them to nobody.

    await app.fileStorage.remove(institutionId, plan.files.map((file) => file.id));
    throw error;
  }
}

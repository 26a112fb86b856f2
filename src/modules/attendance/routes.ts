import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { sendCsv, wantsCsv } from '../../lib/csv.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { classReportCsv, studentReportCsv } from './csv.js';
import {
  AbsenceList,
  AbsenceParams,
  AbsenceView,
  ClassReport,
  CreateAbsenceBody,
  MissingQuery,
  MissingRegisters,
  RangeQuery,
  RegisterBody,
  RegisterHistory,
  RegisterParams,
  RegisterQuery,
  RegisterView,
  StudentParams,
  StudentReport,
} from './schemas.js';
import {
  classReport,
  createAbsence,
  deleteAbsence,
  listAbsences,
  missingRegisters,
  readRegister,
  registerHistory,
  saveRegister,
  studentReport,
} from './service.js';

const tags = ['attendance'];
const staff = { access: 'teacherOrAdmin' as const };
const anyAccount = { access: 'anyAccount' as const };

const REGISTER_WHO = "The lesson's teacher, the teacher covering it on that date, and admins (403 for others; 404 for an unknown lesson).";
const DATE_RULES =
  'The date must be one on which the lesson takes place: its weekday, not a holiday for everyone or for its class, ' +
  "and not after today in the institution's time zone; otherwise 400 naming why (field `date`). Without `date`: today.";
const RANGE = "`to` is today in the institution's time zone when left out, `from` 29 days before `to`; at most 366 days.";
const CSV = 'JSON, or CSV with `Accept: text/csv` (cells a spreadsheet would take for a formula get a leading \').';

const attendanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/schedules/:lessonId/attendance',
    {
      config: staff,
      schema: {
        tags,
        summary: 'The register of a lesson on a date: the class with each student’s mark',
        description:
          `${REGISTER_WHO} ${DATE_RULES} An unmarked student has status null, or \`excused\` (with \`knownAbsence\`, ` +
          '`marked: false`) when a known absence covers the lesson.',
        params: RegisterParams,
        querystring: RegisterQuery,
        response: { 200: RegisterView },
      },
    },
    async (request) => readRegister(request.tenantDb, request.principal, request.params.lessonId, request.query.date),
  );

  app.put(
    '/schedules/:lessonId/attendance',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Save the register of a lesson on a date',
        description:
          `${REGISTER_WHO} ${DATE_RULES} The marks replace those saved before (students left out are unmarked); after the day, ` +
          'each change is kept with who made it and when (`…/attendance/history`). Students not in the class answer 400 naming them ' +
          '(`studentIds`, fields `<index>.studentId`). A student marked absent without a known absence alerts their guardians ' +
          '(a message and an `attendance.absent` event), once per student and day.',
        params: RegisterParams,
        querystring: RegisterQuery,
        body: RegisterBody,
        response: { 200: RegisterView },
      },
    },
    async (request) => saveRegister(request, request.params.lessonId, request.query.date, request.body),
  );

  app.get(
    '/schedules/:lessonId/attendance/history',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Changes made to a register after its day, oldest first',
        description: `${REGISTER_WHO} ${DATE_RULES}`,
        params: RegisterParams,
        querystring: RegisterQuery,
        response: { 200: RegisterHistory },
      },
    },
    async (request) => registerHistory(request.tenantDb, request.principal, request.params.lessonId, request.query.date),
  );

  app.get(
    '/students/:id/absences',
    {
      config: anyAccount,
      schema: {
        tags,
        summary: "A student's known absences, the latest first",
        description: 'The student, their guardians, their teachers and admins.',
        params: StudentParams,
        response: { 200: AbsenceList },
      },
    },
    async (request) => listAbsences(request.tenantDb, request.principal, request.params.id),
  );

  app.post(
    '/students/:id/absences',
    {
      config: anyAccount,
      schema: {
        tags,
        summary: 'Announce an absence: the registers it covers open with the student marked excused',
        description: 'Admins and the student’s guardians. Whole days from `from` to `to`, or only `periods` of them.',
        params: StudentParams,
        body: CreateAbsenceBody,
        response: { 201: AbsenceView },
      },
    },
    async (request, reply) => reply.code(201).send(await createAbsence(request, request.params.id, request.body)),
  );

  app.delete(
    '/students/:id/absences/:absenceId',
    {
      config: anyAccount,
      schema: { tags, summary: 'Withdraw a known absence', description: 'Admins and the student’s guardians.', params: AbsenceParams, response: { 200: MessageResponse } },
    },
    async (request) => {
      await deleteAbsence(request, request.params.id, request.params.absenceId);
      return { message: 'Absence deleted' };
    },
  );

  app.get(
    '/classes/:id/attendance',
    {
      config: staff,
      schema: {
        tags,
        summary: "A class's attendance: students against the dates with registers, with counts and rate",
        description: `Teachers of the class and admins. The rate is lessons present or late of those marked. ${RANGE} ${CSV}`,
        params: IdParams,
        querystring: RangeQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: ClassReport },
      },
    },
    async (request, reply) => {
      const report = await classReport(request.tenantDb, request.principal, request.params.id, request.query);
      return wantsCsv(request) ? sendCsv(reply as FastifyReply, 'class-attendance.csv', classReportCsv(report)) : report;
    },
  );

  app.get(
    '/students/:id/attendance',
    {
      config: anyAccount,
      schema: {
        tags,
        summary: "A student's marks in a range, with counts, rate and known absences",
        description: `The student, their guardians, their teachers and admins. ${RANGE} ${CSV}`,
        params: StudentParams,
        querystring: RangeQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: StudentReport },
      },
    },
    async (request, reply) => {
      const report = await studentReport(request.tenantDb, request.principal, request.params.id, request.query);
      return wantsCsv(request) ? sendCsv(reply as FastifyReply, 'student-attendance.csv', studentReportCsv(report)) : report;
    },
  );

  app.get(
    '/attendance/missing',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Lessons of a date whose register nobody took',
        description: 'Lessons on that weekday that are not off for a holiday; today without `date`, 400 for a date in the future.',
        querystring: MissingQuery,
        response: { 200: MissingRegisters },
      },
    },
    async (request) => missingRegisters(request.tenantDb, request.principal, request.query.date),
  );
};

export default attendanceRoutes;

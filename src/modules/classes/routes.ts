import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sendJsonPage } from '../../lib/replies.js';
import { IdParams, MessageResponse } from '../../lib/schemas.js';
import { listClasses } from './queries.js';
import {
  ClassDetail,
  ClassList,
  ClassmateList,
  ClassStudentList,
  ClassStudentsQuery,
  CreateClassBody,
  EnrollBody,
  ListClassesQuery,
  MyClasses,
  StudentCount,
  StudentParams,
  UpdateClassBody,
} from './schemas.js';
import { classStudents, createClass, deleteClass, enrollStudents, getClass, myClasses, removeStudent, updateClass } from './service.js';

const tags = ['classes'];

const classRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/classes',
    {
      config: { access: 'teacherOrAdmin' },
      schema: { tags, summary: 'List classes, sorted by grade then name', querystring: ListClassesQuery, response: { 200: ClassList } },
    },
    async (request, reply) => sendJsonPage(reply, await listClasses(request.tenantDb, request.query), request.query),
  );

  app.post(
    '/classes',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Create a class',
        description: 'The name is unique in the institution, ignoring case (409 CONFLICT). `homeroomTeacherId` must be an active teacher.',
        body: CreateClassBody,
        response: { 201: ClassDetail },
      },
    },
    async (request, reply) => reply.code(201).send(await createClass(request, request.body)),
  );

  app.get(
    '/classes/my-classes',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: "The caller's classes",
        description:
          'A teacher: the classes they lead as homeroom teacher or teach in (curriculum or timetable), each with the subjects they teach there. ' +
          'A student: their class (a list of none or one), with the subjects it is taught. Admins: 403.',
        response: { 200: MyClasses },
      },
    },
    async (request) => myClasses(request.tenantDb, request.principal),
  );

  app.get(
    '/classes/:id',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'One class with its curriculum',
        description: 'Admins and teachers read every class; a student only their own (403 otherwise).',
        params: IdParams,
        response: { 200: ClassDetail },
      },
    },
    async (request) => getClass(request.tenantDb, request.principal, request.params.id),
  );

  app.patch(
    '/classes/:id',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Change a class',
        description: 'maxStudents cannot go below the students the class holds (409 CONFLICT).',
        params: IdParams,
        body: UpdateClassBody,
        response: { 200: ClassDetail },
      },
    },
    async (request) => updateClass(request, request.params.id, request.body),
  );

  app.delete(
    '/classes/:id',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Delete a class with its enrollments, curriculum and lessons',
        params: IdParams,
        response: { 200: MessageResponse },
      },
    },
    async (request) => {
      await deleteClass(request, request.params.id);
      return { message: 'Class deleted' };
    },
  );

  app.get(
    '/classes/:id/students',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: "The class's students, sorted by name",
        description: "Admins and teachers see each student's account; a student of the class sees names only; any other student gets 403.",
        params: IdParams,
        querystring: ClassStudentsQuery,
        response: { 200: Type.Union([ClassStudentList, ClassmateList]) },
      },
    },
    async (request, reply) => sendJsonPage(reply, await classStudents(request.tenantDb, request.principal, request.params.id, request.query), request.query),
  );

  app.post(
    '/classes/:id/students',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Enroll students, all or none',
        description:
          'Unknown, inactive or non-student ids: 400 naming each (`studentIds.<index>`). More than the free seats: 409 CLASS_FULL ' +
          '`{maxStudents, current, requested}`. A student in another class: 409 ALREADY_ENROLLED `{class, studentIds}` unless `move` is true. ' +
          'Students already in this class are accepted and counted once.',
        params: IdParams,
        body: EnrollBody,
        response: { 200: StudentCount },
      },
    },
    async (request) => enrollStudents(request, request.params.id, request.body),
  );

  app.delete(
    '/classes/:id/students/:studentId',
    {
      config: { access: 'adminOnly' },
      schema: { tags, summary: 'Take a student out of the class', params: StudentParams, response: { 200: StudentCount } },
    },
    async (request) => removeStudent(request, request.params.id, request.params.studentId),
  );
};

export default classRoutes;

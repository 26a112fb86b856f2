import type { FastifyPluginAsync } from 'fastify';
import activityLogRoutes from './activity-logs/routes.js';
import announcementRoutes from './announcements/routes.js';
import assignmentRoutes from './assignments/routes.js';
import attendanceRoutes from './attendance/routes.js';
import authRoutes from './auth/routes.js';
import bellScheduleRoutes from './bell-schedule/routes.js';
import calendarRoutes from './calendar/routes.js';
import classRoutes from './classes/routes.js';
import coverRoutes from './cover/routes.js';
import curriculumRoutes from './curriculum/routes.js';
import fileRoutes from './files/routes.js';
import guardianRoutes from './guardians/routes.js';
import healthRoutes from './health/routes.js';
import messageRoutes from './messages/routes.js';
import realtimeRoutes from './realtime/routes.js';
import roomRoutes from './rooms/routes.js';
import scheduleRoutes from './schedules/routes.js';
import setupRoutes from './setup/routes.js';
import timetableRoutes from './timetable/routes.js';
import timetableGeneratorRoutes from './timetable-generator/routes.js';
import subjectRoutes from './subjects/routes.js';
import userRoutes from './users/routes.js';

/**
 * Every feature's routes, mounted under /api in this order. Adding a module is one line here plus
 * its own folder: its tables declare themselves (see db/types.ts) and its migrations are files in
 * db/migrations/tenant/.
 */
export const featureModules: FastifyPluginAsync[] = [healthRoutes, setupRoutes, authRoutes, userRoutes, activityLogRoutes, subjectRoutes, roomRoutes, classRoutes, curriculumRoutes, bellScheduleRoutes, scheduleRoutes, timetableRoutes, timetableGeneratorRoutes, fileRoutes, assignmentRoutes, messageRoutes, realtimeRoutes, calendarRoutes, attendanceRoutes, guardianRoutes, announcementRoutes, coverRoutes];

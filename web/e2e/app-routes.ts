/**
 * Every page inside the signed-in app and the roles that can reach it, as the areas declare them
 * (src/app-routes.test.ts fails when an area's routes and this list differ). The accessibility
 * browser test visits each page as each of its roles; it cannot import the areas themselves (they
 * are TSX reaching `window` when loaded).
 */
export const APP_ROUTES = {
  '/account': ['admin', 'teacher', 'student', 'guardian'],
  '/admin': ['admin'],
  '/admin/activity': ['admin'],
  '/admin/attendance/missing': ['admin'],
  '/admin/bell-schedule': ['admin'],
  '/admin/classes': ['admin'],
  '/admin/classes/:id': ['admin'],
  '/admin/cover': ['admin'],
  '/admin/rooms': ['admin'],
  '/admin/settings': ['admin'],
  '/admin/subjects': ['admin'],
  '/admin/timetable': ['admin'],
  '/admin/timetable/generate': ['admin'],
  '/admin/timetable/print': ['admin'],
  '/admin/users': ['admin'],
  '/announcements': ['admin', 'teacher', 'student', 'guardian'],
  '/announcements/:id': ['admin', 'teacher', 'student', 'guardian'],
  '/assignments': ['teacher', 'student'],
  '/assignments/:id': ['teacher', 'student'],
  '/assignments/:id/edit': ['teacher'],
  '/assignments/new': ['teacher'],
  '/calendar': ['admin', 'teacher', 'student', 'guardian'],
  '/children': ['guardian'],
  '/children/:studentId/assignments': ['guardian'],
  '/children/:studentId/attendance': ['guardian'],
  '/children/:studentId/week': ['guardian'],
  '/classes': ['teacher'],
  '/classes/:id': ['teacher'],
  '/classes/:id/gradebook': ['teacher'],
  '/messages': ['admin', 'teacher', 'student', 'guardian'],
  '/messages/:userId': ['admin', 'teacher', 'student', 'guardian'],
  '/register': ['teacher'],
  '/register/lessons/:lessonId': ['teacher', 'admin'],
  '/today': ['teacher', 'student'],
  '/week': ['teacher', 'student'],
} as const satisfies Record<string, readonly AppRole[]>;

export type AppRole = 'admin' | 'teacher' | 'student' | 'guardian';
export type AppRoute = keyof typeof APP_ROUTES;

import type { RouteObject } from 'react-router';
import { RequireRole, RequireSession } from './auth/guards';
import { HomeRedirect } from './shell/home-redirect';
import { RouteError } from './shell/route-error';

/**
 * Every page is its own chunk, loaded when first visited: an admin never downloads a student's
 * pages and the sign-in page loads without any of them.
 */
export const routes: RouteObject[] = [
  { path: '/sign-in', lazy: async () => ({ Component: (await import('./pages/sign-in')).SignInPage }) },
  { path: '/sign-up', lazy: async () => ({ Component: (await import('./pages/sign-up')).SignUpPage }) },
  {
    element: <RequireSession />,
    errorElement: <RouteError />,
    children: [
      {
        lazy: async () => ({ Component: (await import('./shell/shell')).Shell }),
        children: [
          { index: true, element: <HomeRedirect /> },
          {
            path: 'messages',
            children: [
              { index: true, lazy: async () => ({ Component: (await import('./pages/messages/conversations')).ConversationsPage }) },
              { path: ':userId', lazy: async () => ({ Component: (await import('./pages/messages/conversation')).ConversationPage }) },
            ],
          },
          {
            path: 'announcements',
            children: [
              { index: true, lazy: async () => ({ Component: (await import('./pages/announcements/announcements')).AnnouncementsPage }) },
              { path: ':id', lazy: async () => ({ Component: (await import('./pages/announcements/announcement')).AnnouncementPage }) },
            ],
          },
          { path: 'account', lazy: async () => ({ Component: (await import('./pages/account/change-password')).ChangePasswordPage }) },
          {
            path: 'admin',
            element: <RequireRole roles={['admin']} />,
            children: [
              { index: true, lazy: async () => ({ Component: (await import('./pages/admin/dashboard')).DashboardPage }) },
              { path: 'users', lazy: async () => ({ Component: (await import('./pages/admin/users')).UsersPage }) },
              { path: 'subjects', lazy: async () => ({ Component: (await import('./pages/admin/subjects')).SubjectsPage }) },
              { path: 'rooms', lazy: async () => ({ Component: (await import('./pages/admin/rooms')).RoomsPage }) },
              { path: 'classes', lazy: async () => ({ Component: (await import('./pages/admin/classes')).ClassesPage }) },
              { path: 'classes/:id', lazy: async () => ({ Component: (await import('./pages/admin/class')).ClassPage }) },
            ],
          },
          {
            path: 'children',
            element: <RequireRole roles={['guardian']} />,
            children: [
              { index: true, lazy: async () => ({ Component: (await import('./pages/guardian/children')).ChildrenPage }) },
              { path: ':studentId/week', lazy: async () => ({ Component: (await import('./pages/guardian/child-week')).ChildWeekPage }) },
              {
                path: ':studentId/assignments',
                lazy: async () => ({ Component: (await import('./pages/guardian/child-assignments')).ChildAssignmentsPage }),
              },
              {
                path: ':studentId/attendance',
                lazy: async () => ({ Component: (await import('./pages/guardian/child-attendance')).ChildAttendancePage }),
              },
            ],
          },
          {
            path: 'week',
            element: <RequireRole roles={['teacher', 'student']} />,
            children: [{ index: true, lazy: async () => ({ Component: (await import('./pages/week/week')).WeekPage }) }],
          },
          {
            path: 'assignments',
            element: <RequireRole roles={['teacher', 'student']} />,
            children: [
              { index: true, lazy: async () => ({ Component: (await import('./pages/assignments/list')).AssignmentsPage }) },
              {
                path: 'new',
                element: <RequireRole roles={['teacher']} />,
                children: [{ index: true, lazy: async () => ({ Component: (await import('./pages/assignments/create')).CreateAssignmentPage }) }],
              },
              { path: ':id', lazy: async () => ({ Component: (await import('./pages/assignments/detail')).AssignmentPage }) },
            ],
          },
        ],
      },
    ],
  },
  { path: '*', lazy: async () => ({ Component: (await import('./shell/not-found')).NotFoundPage }) },
];

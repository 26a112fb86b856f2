import type { RouteObject } from 'react-router';
import { areas } from './areas';
import { RequireSession } from './auth/guards';
import { HomeRedirect } from './shell/home-redirect';
import { RouteError } from './shell/route-error';

/**
 * Every page is its own chunk, loaded when first visited: an admin never downloads a student's
 * pages and the sign-in page loads without any of them. Each area (`areas/index.ts`) brings its own.
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
          ...areas.flatMap((area) => area.routes),
        ],
      },
    ],
  },
  { path: '*', lazy: async () => ({ Component: (await import('./shell/not-found')).NotFoundPage }) },
];

import { useEffect } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { onUnauthorized } from './api/client';
import { useSession } from './auth/session';
import { routes } from './routes';
import { useDocumentTitle } from './shell/document-title';

const router = createBrowserRouter(routes);

/**
 * The router, and what happens when the API says the session is over: the session is forgotten,
 * and the sign-in guard sends you to sign in and back to where you were.
 */
export function App() {
  const { forget, session } = useSession();
  useDocumentTitle(session?.institution.name);
  useEffect(() => {
    onUnauthorized(() => forget('expired'));
  }, [forget]);
  return <RouterProvider router={router} />;
}

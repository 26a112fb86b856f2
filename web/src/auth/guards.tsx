import { Navigate, Outlet, useLocation } from 'react-router';
import type { Role } from '../api/types';
import { signInPath } from '../lib/next-path';
import { useSession } from './session';

/**
 * Pages behind sign-in: without a session, sign in first and come back here; after signing out,
 * plain sign-in (the next person at this computer starts from their own start page).
 */
export function RequireSession() {
  const { session, ended } = useSession();
  const location = useLocation();
  if (!session) {
    const to = ended === 'signed-out' ? '/sign-in' : signInPath(location.pathname + location.search, ended === 'expired');
    return <Navigate to={to} replace />;
  }
  return <Outlet />;
}

/** Pages of some roles only: anyone else goes to their own start page. */
export function RequireRole({ roles }: { roles: Role[] }) {
  const { session } = useSession();
  if (!session || !roles.includes(session.user.role)) return <Navigate to="/" replace />;
  return <Outlet />;
}

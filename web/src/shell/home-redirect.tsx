import { Navigate } from 'react-router';
import type { Role } from '../api/types';
import { useAccount } from '../auth/session';

/** Each role's start page. */
export const HOME: Record<Role, string> = {
  admin: '/admin',
  teacher: '/today',
  student: '/today',
  guardian: '/children',
};

export function HomeRedirect() {
  const { user } = useAccount();
  return <Navigate to={HOME[user.role]} replace />;
}

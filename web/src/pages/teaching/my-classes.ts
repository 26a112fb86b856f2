import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';

export const myClassesKey = ['classes', 'mine'] as const;

/** A teacher's classes (homeroom or teaching, with the subjects they teach there): their class list and what they may set work for. */
export function useMyClasses() {
  return useQuery({ queryKey: myClassesKey, queryFn: () => unwrap(api.GET('/api/classes/my-classes')) });
}

/** The class named in the route (`:id`), once the teacher's classes have loaded. */
export function useMyClass() {
  const { id = '' } = useParams();
  const classes = useMyClasses();
  return { id, schoolClass: classes.data?.find((entry) => entry.id === id) };
}

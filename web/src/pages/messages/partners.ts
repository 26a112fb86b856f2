import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { Role } from '../../api/types';

export interface Candidate {
  id: string;
  name: string;
  role: Role;
}

function unique(candidates: Candidate[]): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const candidate of candidates) if (!byId.has(candidate.id)) byId.set(candidate.id, candidate);
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function teachersOfWeek(lessons: { teacher: { id: string; name: string } }[]): Candidate[] {
  return lessons.map((lesson) => ({ id: lesson.teacher.id, name: lesson.teacher.name, role: 'teacher' as const }));
}

/**
 * The people the caller may start a conversation with, from what the API lets each role list:
 * admins search every user; teachers the students of their classes; students the teachers of
 * their week; guardians their children's teachers (each child's homeroom teacher and the teachers
 * of the child's week: the server lets guardians write to whoever teaches a child's class). Anyone
 * else who wrote to them is already in the conversation list. The server still decides (403 when
 * the messaging rules say no).
 */
export function useCandidates(role: Role, search: string) {
  return useQuery({
    queryKey: ['message-candidates', role, role === 'admin' ? search : ''],
    queryFn: async (): Promise<Candidate[]> => {
      if (role === 'admin') {
        const page = await unwrap(api.GET('/api/users', { params: { query: { q: search || undefined, isActive: true, limit: 50 } } }));
        return page.items.map((user) => ({ id: user.id, name: user.name, role: user.role }));
      }
      if (role === 'teacher') {
        const classes = await unwrap(api.GET('/api/classes/my-classes'));
        const pages = await Promise.all(
          classes.map((klass) => unwrap(api.GET('/api/classes/{id}/students', { params: { path: { id: klass.id }, query: { limit: 200 } } }))),
        );
        return unique(pages.flatMap((page) => page.items.map((student) => ({ id: student.id, name: student.name, role: 'student' as const }))));
      }
      if (role === 'student') {
        const week = await unwrap(api.GET('/api/timetable/me', { params: { query: {} } }));
        return unique(teachersOfWeek(week.lessons));
      }
      const children = await unwrap(api.GET('/api/guardians/me/children'));
      const weeks = await Promise.all(
        children.map((child) => unwrap(api.GET('/api/timetable/students/{id}', { params: { path: { id: child.id }, query: {} } }))),
      );
      const homeroomTeachers = children.flatMap((child) => (child.homeroomTeacher ? [{ ...child.homeroomTeacher, role: 'teacher' as const }] : []));
      return unique([...homeroomTeachers, ...weeks.flatMap((week) => teachersOfWeek(week.lessons))]);
    },
  });
}

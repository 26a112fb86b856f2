import { Text } from '@mantine/core';
import { t } from '../../i18n';

/** What every page of this area shows of a lesson; the register, the missing list and the timetable each answer a shape of it. */
export interface LessonFacts {
  period: number;
  start: string;
  end: string;
  subject: { name: string };
  class: { name: string };
  teacher?: { name: string };
  room?: { name: string } | null;
}

/** "Period 3 · 09:40–10:25" */
export function periodText(lesson: LessonFacts): string {
  return t('register.periodTime', { period: lesson.period, start: lesson.start, end: lesson.end });
}

/** "Physics · 7A", with the room and, where asked, the teacher. */
export function lessonText(lesson: LessonFacts, withTeacher = false): string {
  const parts = [t('register.subjectClass', { subject: lesson.subject.name, class: lesson.class.name })];
  if (lesson.room) parts.push(t('week.room', { room: lesson.room.name }));
  if (withTeacher && lesson.teacher) parts.push(lesson.teacher.name);
  return parts.join(' · ');
}

/** A lesson in two lines: when, then what and where. */
export function LessonLines({ lesson, withTeacher = false }: { lesson: LessonFacts; withTeacher?: boolean }) {
  return (
    <div>
      <Text size="sm" c="dimmed">
        {periodText(lesson)}
      </Text>
      <Text fw={600}>{lessonText(lesson, withTeacher)}</Text>
    </div>
  );
}

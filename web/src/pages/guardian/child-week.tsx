import { Stack } from '@mantine/core';
import { api, unwrap } from '../../api/client';
import { TimetableWeek } from '../week/week';
import { ChildLinks, useChild } from './child';

export function ChildWeekPage() {
  const { studentId, child } = useChild();
  return (
    <Stack>
      <ChildLinks studentId={studentId} name={child?.name ?? ''} />
      <TimetableWeek
        queryKey={['timetable', 'students', studentId]}
        load={(week) => unwrap(api.GET('/api/timetable/students/{id}', { params: { path: { id: studentId }, query: { week } } }))}
        teacher={false}
        heading={child?.name}
      />
    </Stack>
  );
}

import { apiCall } from './school-api';

/**
 * Through the API: two classes whose curricula the timetable holds only in part, so that
 * `unscheduled` periods are known. 7A asks for 4 maths periods and has 1 lesson, 7B for 2 art
 * periods and has none: 5 periods missing in 2 classes.
 */
export async function seedPartlyScheduledClasses(baseUrl: string, adminToken: string, teacherId: string) {
  const maths = await apiCall(baseUrl, 'POST', '/api/subjects', adminToken, { name: 'Mathematics' });
  const art = await apiCall(baseUrl, 'POST', '/api/subjects', adminToken, { name: 'Art' });
  const sevenA = await apiCall(baseUrl, 'POST', '/api/classes', adminToken, { name: '7A', grade: 7, section: 'A' });
  const sevenB = await apiCall(baseUrl, 'POST', '/api/classes', adminToken, { name: '7B', grade: 7, section: 'B' });
  await apiCall(baseUrl, 'PUT', `/api/classes/${sevenA.id}/subjects`, adminToken, [{ subjectId: maths.id, teacherId, periodsPerWeek: 4 }]);
  await apiCall(baseUrl, 'PUT', `/api/classes/${sevenB.id}/subjects`, adminToken, [{ subjectId: art.id, teacherId, periodsPerWeek: 2 }]);
  await apiCall(baseUrl, 'POST', '/api/schedules', adminToken, { classId: sevenA.id, subjectId: maths.id, teacherId, day: 'monday', period: 1 });
  return { unscheduledPeriods: 5, classesMissingPeriods: 2 };
}

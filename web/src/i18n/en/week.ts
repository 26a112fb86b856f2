/** The week timetable, in English. */
export const week = {
  'week.title': 'Week {week}',
  'week.previous': 'Previous week',
  'week.next': 'Next week',
  'week.current': 'This week',
  'week.empty': 'No lessons this week.',
  'week.noLessons': 'No lessons',
  'week.holiday': 'Holiday: {name}',
  'week.period': 'Period',
  'week.periodNumber': 'Period {number}',
  'week.lessonWith': '{subject} with {teacher}',
  'week.lessonFor': '{subject} for {class}',
  'week.room': 'Room {room}',

  'day.monday': 'Monday',
  'day.tuesday': 'Tuesday',
  'day.wednesday': 'Wednesday',
  'day.thursday': 'Thursday',
  'day.friday': 'Friday',
  'day.saturday': 'Saturday',
  'day.sunday': 'Sunday',
} as const;

/** Institution settings, the bell schedule and deleting the institution, in English. */
export const settings = {
  'settings.nav': 'Settings',
  'settings.title': 'Institution settings',
  'settings.save': 'Save',
  'settings.cancel': 'Cancel',
  'settings.close': 'Close',

  'settings.timeZone.title': 'Time zone',
  'settings.timeZone.intro': 'Dates and times of lessons, holidays, recurring events and calendar feeds follow this time zone.',
  'settings.timeZone.label': 'Time zone of the institution',
  'settings.timeZone.nothingFound': 'No time zone matches. Try a city, such as Berlin or New_York.',
  'settings.timeZone.saved': 'The time zone is now {timeZone}.',

  'settings.messaging.title': 'Messaging',
  'settings.messaging.studentToStudent': 'Students may write to other students',
  'settings.messaging.studentToStudentHint':
    'When off, students write only to admins, their teachers and people who wrote to them first.',

  'settings.delete.title': 'Delete the institution',
  'settings.delete.intro': 'Deletes {name} with every account, class, timetable, assignment, message and file in it. This cannot be undone.',
  'settings.delete.open': 'Delete the institution…',
  'settings.delete.confirmTitle': 'Delete {name} for good?',
  'settings.delete.warning':
    'Everyone in {name} loses their account at once, and all its data and files are deleted. Nothing can be restored afterwards.',
  'settings.delete.typeName': 'Type the institution name ({name}) to confirm',
  'settings.delete.password': 'Your admin password',
  'settings.delete.submit': 'Delete the institution',
  'settings.delete.done': 'The institution and all its data have been deleted. Its accounts no longer exist.',

  'bellSchedule.nav': 'Bell schedule',
  'bellSchedule.title': 'Bell schedule',
  'bellSchedule.intro': 'The school days of the week and when each period starts and ends. Every timetable is built on them.',
  'bellSchedule.days': 'School days',
  'bellSchedule.periods': 'Periods',
  'bellSchedule.start': 'Starts',
  'bellSchedule.end': 'Ends',
  'bellSchedule.startOf': 'Period {number} starts',
  'bellSchedule.endOf': 'Period {number} ends',
  'bellSchedule.addPeriod': 'Add a period',
  'bellSchedule.removePeriod': 'Remove period {number}',
  'bellSchedule.removeHint': 'Lessons keep their period number, so periods are added and removed at the end of the day; change the times to move them.',
  'bellSchedule.save': 'Save bell schedule',
  'bellSchedule.undo': 'Undo changes',
  'bellSchedule.saved': 'The bell schedule has been saved.',
  'bellSchedule.problem.noDays': 'Choose at least one school day.',
  'bellSchedule.problem.noStart': 'Enter when period {number} starts.',
  'bellSchedule.problem.noEnd': 'Enter when period {number} ends.',
  'bellSchedule.problem.endBeforeStart': 'Period {number} must end after it starts ({start}).',
  'bellSchedule.problem.overlap': 'Period {number} starts before period {previous} ends ({end}).',
  'bellSchedule.outside.title': 'Lessons are in the way',
  'bellSchedule.outside.one':
    '1 lesson of the timetable is on a day or in a period this schedule removes, so nothing was saved. Move or delete it in the timetable first, or keep that day or period.',
  'bellSchedule.outside.other':
    '{count} lessons of the timetable are on a day or in a period this schedule removes, so nothing was saved. Move or delete them in the timetable first, or keep those days and periods.',
  'bellSchedule.outside.lesson': '{day}, period {period}: {subject} with class {class} ({teacher})',
  'bellSchedule.outside.more': '…and {count} more.',
} as const;

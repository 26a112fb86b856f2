import type { Role } from '../api/types';
import { accountArea } from '../pages/account/area';
import { activityArea } from '../pages/activity/area';
import { adminArea } from '../pages/admin/area';
import { announcementsArea } from '../pages/announcements/area';
import { assignmentsArea } from '../pages/assignments/area';
import { calendarArea } from '../pages/calendar/area';
import { guardianArea } from '../pages/guardian/area';
import { messagesArea } from '../pages/messages/area';
import { registerArea } from '../pages/register/area';
import { settingsArea } from '../pages/settings/area';
import { teachingArea } from '../pages/teaching/area';
import { timetableArea } from '../pages/timetable/area';
import { weekArea } from '../pages/week/area';
import type { NavItem, WebArea } from './area';

/** Every area of the app, registered once here. */
export const areas: WebArea[] = [
  adminArea,
  activityArea,
  settingsArea,
  timetableArea,
  teachingArea,
  weekArea,
  assignmentsArea,
  registerArea,
  calendarArea,
  guardianArea,
  messagesArea,
  announcementsArea,
  accountArea,
];

/** A role's navigation, gathered from the areas and put in order. */
export function navigationFor(role: Role): NavItem[] {
  return areas.flatMap((area) => area.navigation?.[role] ?? []).sort((a, b) => a.order - b.order);
}

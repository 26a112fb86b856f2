import { academic } from './en/academic';
import { activity } from './en/activity';
import { announcements } from './en/announcements';
import { assignments } from './en/assignments';
import { calendar } from './en/calendar';
import { core } from './en/core';
import { guardian } from './en/guardian';
import { messages } from './en/messages';
import { people } from './en/people';
import { register } from './en/register';
import { settings } from './en/settings';
import { teaching } from './en/teaching';
import { timetable } from './en/timetable';
import { week } from './en/week';

/**
 * Every text the app shows, in English, one file per area under `en/`. A school adds its language
 * as a file with the same keys (`Messages` makes the compiler list any that are missing).
 */
export const en = {
  ...core,
  ...people,
  ...academic,
  ...week,
  ...assignments,
  ...messages,
  ...announcements,
  ...guardian,
  ...activity,
  ...settings,
  ...timetable,
  ...teaching,
  ...register,
  ...calendar,
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

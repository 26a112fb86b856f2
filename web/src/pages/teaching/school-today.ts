import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { isoWeekOf } from '../../lib/iso-week';
import { localDate, schoolNow } from './school-day';

const TICK_MS = 30_000;

/** The time now, renewed every half minute so the current lesson moves on by itself. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * Today at the school and its ISO week, for the pages about today (a teacher's or student's Today,
 * a teacher's registers): the institution's zone from its settings, null until they have loaded.
 */
export function useSchoolToday() {
  const now = useNow();
  const settings = useQuery({ queryKey: ['settings', 'institution'], queryFn: () => unwrap(api.GET('/api/settings/institution')) });
  const today = settings.data ? schoolNow(now, settings.data.timeZone) : null;
  const week = today ? isoWeekOf(localDate(today.date)) : null;
  return { settings, today, week };
}

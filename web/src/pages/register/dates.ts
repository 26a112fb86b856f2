import dayjs from 'dayjs';
import { useSearchParams } from 'react-router';

/** Calendar dates as the API takes them (`YYYY-MM-DD`), in the device's own time zone. */
export function isoDay(date: dayjs.Dayjs = dayjs()): string {
  return date.format('YYYY-MM-DD');
}

export function shiftDay(day: string, days: number): string {
  return isoDay(dayjs(day).add(days, 'day'));
}

export function isIsoDay(value: string | null): value is string {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayjs(value).isValid() && isoDay(dayjs(value)) === value;
}

/**
 * The day a page is about, kept in `?date=` so it can be linked and reloaded; today when the address
 * names none (or a malformed one). Choosing today again drops the parameter.
 */
export function useDayParam(): [string, (day: string) => void] {
  const [params, setParams] = useSearchParams();
  const today = isoDay();
  const requested = params.get('date');
  const day = isIsoDay(requested) ? requested : today;
  const setDay = (next: string) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next === today) updated.delete('date');
        else updated.set('date', next);
        return updated;
      },
      { replace: true },
    );
  return [day, setDay];
}

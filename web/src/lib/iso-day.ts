import dayjs from 'dayjs';

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

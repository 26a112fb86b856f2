import { useSearchParams } from 'react-router';
import { isIsoDay, isoDay } from '../../lib/iso-day';

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

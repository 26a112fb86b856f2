import { useState } from 'react';

/**
 * One page of rows the API answers all at once (a person's assignments, a gradebook's students),
 * for ListPagination; the page is clamped when rows go away.
 */
export function usePagedRows<T>(rows: T[], pageSize: number) {
  const [requested, setPage] = useState(1);
  const page = Math.min(requested, Math.max(1, Math.ceil(rows.length / pageSize)));
  return { page, setPage, shown: rows.slice((page - 1) * pageSize, page * pageSize) };
}

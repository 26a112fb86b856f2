// @vitest-environment happy-dom
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { usePagedRows } from './paged-rows';

const rows = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

describe('usePagedRows', () => {
  it('shows one page of rows and turns pages', () => {
    const { result } = renderHook(() => usePagedRows(rows(60), 25));
    expect(result.current.shown).toEqual(rows(25));
    act(() => result.current.setPage(3));
    expect(result.current.shown).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
  });

  it('falls back to the last page when rows go away under it', () => {
    const { result, rerender } = renderHook(({ count }) => usePagedRows(rows(count), 25), { initialProps: { count: 60 } });
    act(() => result.current.setPage(3));
    rerender({ count: 50 });
    expect(result.current.page).toBe(2);
    expect(result.current.shown[0]).toBe(26);
    rerender({ count: 0 });
    expect(result.current).toMatchObject({ page: 1, shown: [] });
  });
});

import { Button, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { t } from '../../i18n';
import { ListPagination } from '../list-pagination';
import { QueryState } from '../query-state';
import { ActivityTable, actorOf, codeWords } from './activity-table';

const PAGE_SIZE = 50;
/** The filters as the address keeps them: a reload or a shared link shows the same entries. */
const FILTERS = ['user', 'action', 'target', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Local midnight starting `date` (YYYY-MM-DD), `days` later, as the API's ISO timestamp. */
function startOfDay(date: string, days = 0): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day + days).toISOString();
}

/** The institution's activity log for admins: filtered by who, action, what it concerned and dates, a page at a time. */
export function ActivityLogPage() {
  const [params, setParams] = useSearchParams();
  const value = (name: Filter) => params.get(name) ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const from = DATE.test(value('from')) ? value('from') : '';
  const to = DATE.test(value('to')) ? value('to') : '';

  function update(changes: Partial<Record<Filter | 'page', string | null>>) {
    const next = new URLSearchParams(params);
    for (const [key, change] of Object.entries(changes)) {
      if (change) next.set(key, change);
      else next.delete(key);
    }
    // Another filter starts from the first page.
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  }

  const query = {
    ...(value('user') ? { userId: value('user') } : {}),
    ...(value('action') ? { action: value('action') } : {}),
    ...(value('target') ? { targetType: value('target') } : {}),
    ...(from ? { from: startOfDay(from) } : {}),
    // The "to" date is included: the bound is the next day's midnight (the API's `to` is exclusive).
    ...(to ? { to: startOfDay(to, 1) } : {}),
    page,
    limit: PAGE_SIZE,
  };
  const entries = useQuery({
    queryKey: ['activity-logs', query],
    queryFn: () => unwrap(api.GET('/api/activity-logs', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const choices = useQuery({ queryKey: ['activity-logs', 'filters'], queryFn: () => unwrap(api.GET('/api/activity-logs/filters')) });
  const filtered = FILTERS.some((name) => value(name));
  const userOptions = (choices.data?.users ?? []).map((user) => ({ value: user.id, label: actorOf({ userName: user.name, userRole: user.role }) }));
  const actionOptions = (choices.data?.actions ?? []).map((action) => ({ value: action, label: codeWords('activity.action', action) }));
  const targetOptions = (choices.data?.targetTypes ?? []).map((target) => ({ value: target, label: codeWords('activity.target', target) }));

  return (
    <Stack>
      <Title order={1}>{t('activity.title')}</Title>
      <Text>{t('activity.intro')}</Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }}>
        {[
          { filter: 'user' as const, label: t('activity.filterUser'), placeholder: t('activity.anyone'), options: userOptions },
          { filter: 'action' as const, label: t('activity.filterAction'), placeholder: t('activity.anyAction'), options: actionOptions },
          { filter: 'target' as const, label: t('activity.filterTarget'), placeholder: t('activity.anyTarget'), options: targetOptions },
        ].map(({ filter, label, placeholder, options }) => (
          <Select
            key={filter}
            label={label}
            placeholder={placeholder}
            searchable
            clearable
            // Thousands of students may have signed in: the list shows the first matches of what is typed.
            limit={100}
            nothingFoundMessage={t('activity.noChoice')}
            data={options}
            value={value(filter) || null}
            onChange={(chosen) => update({ [filter]: chosen })}
          />
        ))}
        <TextInput label={t('activity.filterFrom')} type="date" max={to || undefined} value={from} onChange={(event) => update({ from: event.currentTarget.value })} />
        <TextInput label={t('activity.filterTo')} type="date" min={from || undefined} value={to} onChange={(event) => update({ to: event.currentTarget.value })} />
      </SimpleGrid>
      {filtered && (
        <Group>
          <Button variant="default" size="xs" onClick={() => update(Object.fromEntries(FILTERS.map((name) => [name, null])))}>
            {t('activity.clearFilters')}
          </Button>
        </Group>
      )}
      <QueryState query={entries}>
        {(list) =>
          list.items.length === 0 ? (
            <Text>{filtered ? t('activity.empty') : t('activity.noActivity')}</Text>
          ) : (
            <>
              <Text size="sm" c="dimmed" role="status">
                {t(list.total === 1 ? 'activity.count.one' : 'activity.count.other', { total: list.total })}
              </Text>
              <ActivityTable entries={list.items} withDetails />
              <ListPagination total={list.total} pageSize={PAGE_SIZE} page={page} onChange={(next) => update({ page: next > 1 ? String(next) : null })} />
            </>
          )
        }
      </QueryState>
    </Stack>
  );
}

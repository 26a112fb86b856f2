import { Table, Text } from '@mantine/core';
import type { ResponseOf } from '../../api/types';
import { hasMessage, t } from '../../i18n';
import { formatDateTime } from '../assignments/format';
import { ScrollTable } from '../scroll-table';

export type ActivityEntry = ResponseOf<'/api/activity-logs', 'get'>['items'][number];

/** A code from the log ("change_password", "curriculum") in words; one the app has no words for, with spaces. */
export function codeWords(prefix: 'activity.action' | 'activity.target', code: string): string {
  const key = `${prefix}.${code}`;
  return hasMessage(key) ? t(key) : code.replaceAll('_', ' ');
}

export function roleWords(role: string): string {
  const key = `role.${role}`;
  return hasMessage(key) ? t(key) : role;
}

/** Who acted: their name and role at the time, or the system when nobody signed in did. */
export function actorOf(entry: Pick<ActivityEntry, 'userName' | 'userRole'>): string {
  if (!entry.userName) return t('activity.system');
  return entry.userRole ? t('activity.whoWithRole', { name: entry.userName, role: roleWords(entry.userRole) }) : entry.userName;
}

/**
 * What happened, as a phrase: "created class 7A", "signed in". Acting on oneself (signing in,
 * changing one's password) names no target: the "who" column already says it.
 */
export function describeEntry(entry: ActivityEntry): string {
  const onSelf = entry.targetId !== null && entry.targetId === entry.userId;
  const target = entry.targetType && !onSelf ? [codeWords('activity.target', entry.targetType), entry.targetName].filter(Boolean).join(' ') : '';
  return [codeWords('activity.action', entry.action), target].filter(Boolean).join(' ');
}

function detailValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(detailValue).join(', ');
  if (typeof value === 'boolean') return t(value ? 'activity.yes' : 'activity.no');
  if (value !== null && typeof value === 'object') return `(${detailText(value as Record<string, unknown>)})`;
  return String(value ?? '—');
}

/** An entry's details as "created: 2; linked: 0", never as JSON. */
export function detailText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${detailValue(value)}`)
    .join('; ');
}

/** Log entries, newest first, as a table that scrolls sideways on a phone (and can be scrolled with the keyboard). */
export function ActivityTable({ entries, withDetails = false }: { entries: ActivityEntry[]; withDetails?: boolean }) {
  return (
    <ScrollTable
      label={t('activity.tableLabel')}
      minWidth={withDetails ? 760 : 520}
      columns={[t('activity.when'), t('activity.who'), t('activity.what'), ...(withDetails ? [t('activity.details')] : [])]}
    >
      {entries.map((entry) => (
        <Table.Tr key={entry.id}>
          <Table.Td>
            <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
          </Table.Td>
          <Table.Td>{actorOf(entry)}</Table.Td>
          <Table.Td>{describeEntry(entry)}</Table.Td>
          {withDetails && (
            <Table.Td>
              <Text size="sm">{entry.details ? detailText(entry.details) : ''}</Text>
            </Table.Td>
          )}
        </Table.Tr>
      ))}
    </ScrollTable>
  );
}

import { Button, Checkbox, Group, MultiSelect, Paper, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { liveKeys } from '../../live/live-events';
import { dateIn } from '../calendar/calendar-dates';
import { FormError } from '../form-error';
import { useAudienceClasses } from './audience-classes';

export type Announcement = ResponseOf<'/api/announcements/{id}', 'get'>;

const ROLES = ['admin', 'teacher', 'student', 'guardian'] as const;
type AudienceKind = 'all' | 'roles' | 'classes';

/** Pinned to the end of the day chosen, in the browser's time. */
function pinnedUntilOf(date: string): string | null {
  return date ? new Date(`${date}T23:59:59`).toISOString() : null;
}

/** Only an admin addresses everyone or roles; a teacher the classes they teach. */
function AudienceFields({ kind, setKind, roles, setRoles, classIds, setClassIds }: {
  kind: AudienceKind;
  setKind: (kind: AudienceKind) => void;
  roles: string[];
  setRoles: (roles: string[]) => void;
  classIds: string[];
  setClassIds: (classIds: string[]) => void;
}) {
  const { user } = useAccount();
  const isAdmin = user.role === 'admin';
  const classes = useAudienceClasses(user.role);
  return (
    <>
      <Select
        label={t('announcements.audience')}
        value={kind}
        allowDeselect={false}
        onChange={(value) => setKind((value as AudienceKind) ?? 'all')}
        data={[
          ...(isAdmin
            ? [
                { value: 'all', label: t('announcements.audienceAll') },
                { value: 'roles', label: t('announcements.audienceRoles') },
              ]
            : []),
          { value: 'classes', label: t('announcements.audienceClasses') },
        ]}
      />
      {kind === 'roles' && (
        <MultiSelect label={t('announcements.roles')} required value={roles} onChange={setRoles} data={ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }))} />
      )}
      {kind === 'classes' && (
        <MultiSelect
          label={t('announcements.classes')}
          required
          searchable
          value={classIds}
          onChange={setClassIds}
          data={(classes.data ?? []).map((klass) => ({ value: klass.id, label: klass.name }))}
        />
      )}
    </>
  );
}

/**
 * Posting an announcement, or changing one (`editing`): title, text, pin and confirmation. Its
 * audience is chosen when posting and stays (the API: post another for another audience).
 */
export function AnnouncementForm({ editing, onDone }: { editing?: Announcement; onDone: () => void }) {
  const { user } = useAccount();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(editing?.title ?? '');
  const [body, setBody] = useState(editing?.body ?? '');
  const [kind, setKind] = useState<AudienceKind>(user.role === 'admin' ? 'all' : 'classes');
  const [roles, setRoles] = useState<string[]>([]);
  const [classIds, setClassIds] = useState<string[]>([]);
  const [pinnedUntil, setPinnedUntil] = useState(editing?.pinned && editing.pinnedUntil ? dateIn(undefined, new Date(editing.pinnedUntil)) : '');
  const [requireConfirmation, setRequireConfirmation] = useState(editing?.requireConfirmation ?? false);
  const save = useMutation({
    mutationFn: () =>
      editing
        ? unwrap(
            api.PATCH('/api/announcements/{id}', {
              params: { path: { id: editing.id } },
              body: { title, body, requireConfirmation, pinnedUntil: pinnedUntilOf(pinnedUntil) },
            }),
          )
        : unwrap(
            api.POST('/api/announcements', {
              body: {
                title,
                body,
                requireConfirmation,
                ...(pinnedUntil ? { pinnedUntil: pinnedUntilOf(pinnedUntil)! } : {}),
                audience: kind === 'all' ? { all: true } : kind === 'roles' ? { roles: roles as (typeof ROLES)[number][] } : { classIds },
              },
            }),
          ),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: liveKeys.announcements });
      onDone();
      if (!editing) void navigate(`/announcements/${saved.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={editing ? t('announcements.edit') : t('announcements.create')}>
      <Stack>
        <TextInput label={t('announcements.titleField')} required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <Textarea
          label={t('announcements.body')}
          description={t('announcements.bodyHint')}
          required
          autosize
          minRows={4}
          maxLength={20000}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
        />
        {!editing && <AudienceFields kind={kind} setKind={setKind} roles={roles} setRoles={setRoles} classIds={classIds} setClassIds={setClassIds} />}
        <TextInput
          type="date"
          label={t('announcements.pinnedUntil')}
          description={t('announcements.pinnedUntilHint')}
          min={dateIn(undefined)}
          value={pinnedUntil}
          onChange={(e) => setPinnedUntil(e.currentTarget.value)}
        />
        <Checkbox label={t('announcements.requireConfirmation')} checked={requireConfirmation} onChange={(e) => setRequireConfirmation(e.currentTarget.checked)} />
        <FormError error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {editing ? t('announcements.save') : t('announcements.post')}
          </Button>
          <Button variant="subtle" onClick={onDone}>
            {t('users.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

import { Button, Group, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { QueryState } from '../query-state';
import { DeleteInstitution } from './delete-institution';
import { Section } from './section';

type MessagingSettings = ResponseOf<'/api/settings/messaging', 'get'>;

/** The admin's institution-wide settings: time zone, messaging rules, and deleting the institution. */
export function InstitutionSettingsPage() {
  return (
    <Stack>
      <Title order={1}>{t('settings.title')}</Title>
      <TimeZoneSection />
      <MessagingSection />
      <DeleteInstitution />
    </Stack>
  );
}

/** Every IANA zone the browser knows; the server checks the name too. UTC is not always among them. */
function zoneOptions(current: string): string[] {
  const zones = new Set(Intl.supportedValuesOf('timeZone'));
  zones.add('UTC');
  zones.add(current);
  return [...zones].sort();
}

function TimeZoneSection() {
  const settings = useQuery({ queryKey: ['settings', 'institution'], queryFn: () => unwrap(api.GET('/api/settings/institution')) });
  return (
    <Section title={t('settings.timeZone.title')}>
      <Text size="sm">{t('settings.timeZone.intro')}</Text>
      <QueryState query={settings}>{(saved) => <TimeZoneForm saved={saved.timeZone} />}</QueryState>
    </Section>
  );
}

function TimeZoneForm({ saved }: { saved: string }) {
  const queryClient = useQueryClient();
  const [timeZone, setTimeZone] = useState(saved);
  const zones = useMemo(() => zoneOptions(saved), [saved]);
  const save = useMutation({
    mutationFn: (zone: string) => unwrap(api.PUT('/api/settings/institution', { body: { timeZone: zone } })),
    onSuccess: (answer) => {
      queryClient.setQueryData(['settings', 'institution'], answer);
      // Dates and times elsewhere (calendar, holidays, weeks) follow the zone: none is kept from before.
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'settings' });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(timeZone);
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <FormError error={save.error} />
        <Group align="end">
          <Select
            label={t('settings.timeZone.label')}
            searchable
            data={zones}
            limit={50}
            value={timeZone}
            allowDeselect={false}
            nothingFoundMessage={t('settings.timeZone.nothingFound')}
            onChange={(value) => {
              save.reset();
              if (value) setTimeZone(value);
            }}
            style={{ flex: 1, minWidth: 220 }}
          />
          <Button type="submit" loading={save.isPending} disabled={timeZone === saved}>
            {t('settings.save')}
          </Button>
        </Group>
        {save.isSuccess && timeZone === saved ? <Text role="status">{t('settings.timeZone.saved', { timeZone: saved })}</Text> : null}
      </Stack>
    </form>
  );
}

/** A switch that shows its new state at once and turns back if the server refuses. */
function MessagingSection() {
  const queryClient = useQueryClient();
  const key = ['settings', 'messaging'];
  const settings = useQuery({ queryKey: key, queryFn: () => unwrap(api.GET('/api/settings/messaging')) });
  const save = useMutation({
    mutationFn: (body: MessagingSettings) => unwrap(api.PUT('/api/settings/messaging', { body })),
    onMutate: async (body) => {
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<MessagingSettings>(key);
      queryClient.setQueryData(key, body);
      return { before };
    },
    onError: (_error, _body, context) => queryClient.setQueryData(key, context?.before),
    onSuccess: (answer) => queryClient.setQueryData(key, answer),
  });

  return (
    <Section title={t('settings.messaging.title')}>
      <FormError error={save.error} />
      <QueryState query={settings}>
        {(current) => (
          <Switch
            label={t('settings.messaging.studentToStudent')}
            description={t('settings.messaging.studentToStudentHint')}
            checked={current.studentToStudent}
            onChange={(e) => save.mutate({ studentToStudent: e.currentTarget.checked })}
          />
        )}
      </QueryState>
    </Section>
  );
}

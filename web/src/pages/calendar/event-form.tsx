import { Alert, Badge, Button, Checkbox, CloseButton, Group, MultiSelect, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { BodyOf, Role } from '../../api/types';
import { t } from '../../i18n';
import { useAudienceClasses } from '../announcements/audience-classes';
import { QueryState } from '../query-state';
import { addDays, formatDay, WEEKDAYS, type Weekday, weekdayOf } from './calendar-dates';
import { EventError } from './event-error';
import { calendarKey, daysOf, EVENT_TYPES, type EventType, type Occurrence } from './occurrences';
import { type Frequency, type RepeatDraft, repeatRule, repeatSummary } from './repeat-rule';
import { wallClock, zonedTimestamp } from './zoned-time';

type CreateBody = BodyOf<'/api/calendar/events', 'post'>;
type PatchBody = BodyOf<'/api/calendar/events/{id}', 'patch'>;
type AudienceKind = 'all' | 'classes' | 'teachersOnly';
/** 'keep' only when editing a repeating event, whose rule the calendar's occurrences do not carry. */
type Repeat = 'none' | 'keep' | Frequency;

interface EventDraft extends Omit<RepeatDraft, 'frequency'> {
  title: string;
  description: string;
  type: EventType;
  audience: AudienceKind;
  classIds: string[];
  allDay: boolean;
  date: string;
  /** All-day: the last day. */
  endDate: string;
  startTime: string;
  endTime: string;
  /** Timed: the days from start to end, kept as they were (the form edits times within a day). */
  spanDays: number;
  repeat: Repeat;
  exceptions: string[];
}

const fullDate = { day: 'numeric', month: 'long', year: 'numeric' } as const;

function newDraft(date: string, role: Role): EventDraft {
  return {
    title: '',
    description: '',
    type: 'event',
    audience: role === 'admin' ? 'all' : 'classes',
    classIds: [],
    allDay: false,
    date,
    endDate: date,
    startTime: '09:00',
    endTime: '10:00',
    spanDays: 0,
    repeat: 'none',
    weekdays: [weekdayOf(date)],
    end: 'count',
    count: 10,
    until: '',
    exceptions: [],
  };
}

/** The form filled from an occurrence (of a series: its first one, so its dates are the series'). */
function draftOf(occurrence: Occurrence, role: Role): EventDraft {
  const { first, last } = daysOf(occurrence);
  const draft = newDraft(first, role);
  const audience: AudienceKind = occurrence.audience.all ? 'all' : occurrence.audience.teachersOnly ? 'teachersOnly' : 'classes';
  const timed = occurrence.allDay
    ? { endDate: last }
    : {
        startTime: wallClock(occurrence.startsAt!).time,
        endTime: wallClock(occurrence.endsAt!).time,
        spanDays: Math.round((Date.parse(wallClock(occurrence.endsAt!).date) - Date.parse(first)) / 86_400_000),
      };
  return {
    ...draft,
    ...timed,
    title: occurrence.title,
    description: occurrence.description ?? '',
    type: occurrence.type,
    audience,
    classIds: occurrence.audience.classIds ?? [],
    allDay: occurrence.allDay,
    repeat: occurrence.recurring ? 'keep' : 'none',
  };
}

function audienceOf(draft: EventDraft): CreateBody['audience'] {
  if (draft.audience === 'all') return { all: true };
  if (draft.audience === 'teachersOnly') return { teachersOnly: true };
  return { classIds: draft.classIds };
}

/** Start and end in the institution's zone, as the API takes them. */
function timingOf(draft: EventDraft, timeZone: string): Pick<CreateBody, 'allDay' | 'date' | 'endDate' | 'startsAt' | 'endsAt'> {
  if (draft.allDay) return { allDay: true, date: draft.date, endDate: draft.endDate < draft.date ? draft.date : draft.endDate };
  return { startsAt: zonedTimestamp(draft.date, draft.startTime, timeZone), endsAt: zonedTimestamp(addDays(draft.date, draft.spanDays), draft.endTime, timeZone) };
}

/** The rule and its left-out dates; undefined while a series keeps what it has. */
function repetitionOf(draft: EventDraft, timeZone: string): { recurrence: string | null; exceptions: string[] } | undefined {
  if (draft.repeat === 'keep') return undefined;
  if (draft.repeat === 'none') return { recurrence: null, exceptions: [] };
  return { recurrence: repeatRule({ ...draft, frequency: draft.repeat }, timeZone), exceptions: draft.exceptions };
}

function createBody(draft: EventDraft, timeZone: string): CreateBody {
  const repetition = repetitionOf(draft, timeZone);
  return {
    title: draft.title,
    ...(draft.description.trim() ? { description: draft.description } : {}),
    type: draft.type,
    audience: audienceOf(draft),
    ...timingOf(draft, timeZone),
    ...(repetition?.recurrence ? { recurrence: repetition.recurrence, exceptions: repetition.exceptions } : {}),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Only what changed: the form of a series shows its first occurrence found within a year back, so
 * timing it did not touch is not sent (it would move the series if it began longer ago).
 */
function patchBody(draft: EventDraft, initial: EventDraft, timeZone: string): PatchBody {
  const body: PatchBody = {};
  if (draft.title !== initial.title) body.title = draft.title;
  if (draft.description !== initial.description) body.description = draft.description.trim() ? draft.description : null;
  if (draft.type !== initial.type) body.type = draft.type;
  if (!same(audienceOf(draft), audienceOf(initial))) body.audience = audienceOf(draft);
  const timing = timingOf(draft, timeZone);
  if (!same(timing, timingOf(initial, timeZone))) Object.assign(body, timing);
  const repetition = repetitionOf(draft, timeZone);
  if (repetition && !same(repetition, repetitionOf(initial, timeZone))) Object.assign(body, repetition);
  return body;
}

/** A problem the form can name before asking the server. */
function problemOf(draft: EventDraft): string | null {
  if (draft.audience === 'classes' && draft.classIds.length === 0) return t('calendar.form.classesRequired');
  if (!draft.allDay && draft.spanDays === 0 && draft.endTime <= draft.startTime) return t('calendar.form.endBeforeStart');
  const repeats = draft.repeat !== 'none' && draft.repeat !== 'keep';
  if (repeats && draft.end === 'count' && !(Number.isInteger(draft.count) && draft.count >= 1 && draft.count <= 9999)) return t('calendar.repeat.countInvalid');
  return null;
}

/** Dates a repeating event leaves out: picked one by one, each removable. */
function Exceptions({ dates, onChange }: { dates: string[]; onChange: (dates: string[]) => void }) {
  const [date, setDate] = useState('');
  const add = () => {
    if (date && !dates.includes(date)) onChange([...dates, date].sort());
    setDate('');
  };
  return (
    <Stack gap={4}>
      <Group align="end" gap="xs">
        <TextInput type="date" label={t('calendar.repeat.exceptionDate')} value={date} onChange={(event) => setDate(event.currentTarget.value)} />
        <Button variant="default" onClick={add} disabled={!date}>
          {t('calendar.repeat.addException')}
        </Button>
      </Group>
      <Text size="sm" fw={500} id="event-exceptions">
        {t('calendar.repeat.exceptions')}
      </Text>
      {dates.length === 0 ? (
        <Text size="sm">{t('calendar.repeat.noExceptions')}</Text>
      ) : (
        <Group gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-labelledby="event-exceptions">
          {dates.map((day) => (
            <Badge
              key={day}
              component="li"
              variant="outline"
              tt="none"
              rightSection={
                <CloseButton size="xs" aria-label={t('calendar.repeat.removeException', { date: formatDay(day, fullDate) })} onClick={() => onChange(dates.filter((other) => other !== day))} />
              }
            >
              {formatDay(day, fullDate)}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/** The simple builder: daily, weekly on chosen days or monthly, ending never, after a count or on a day. */
function RepeatFields({ draft, set, editingSeries }: { draft: EventDraft; set: (change: Partial<EventDraft>) => void; editingSeries: boolean }) {
  const frequency = draft.repeat === 'none' || draft.repeat === 'keep' ? null : draft.repeat;
  return (
    <Stack gap="xs">
      <Select
        label={t('calendar.repeat.label')}
        value={draft.repeat}
        allowDeselect={false}
        onChange={(value) => set({ repeat: (value as Repeat | null) ?? 'none' })}
        data={[
          ...(editingSeries ? [{ value: 'keep', label: t('calendar.repeat.keep') }] : []),
          { value: 'none', label: t('calendar.repeat.none') },
          { value: 'daily', label: t('calendar.repeat.daily') },
          { value: 'weekly', label: t('calendar.repeat.weekly') },
          { value: 'monthly', label: t('calendar.repeat.monthly') },
        ]}
      />
      {frequency && (
        <>
          {editingSeries && <Text size="sm">{t('calendar.repeat.replaceNote')}</Text>}
          {frequency === 'weekly' && (
            <Checkbox.Group label={t('calendar.repeat.on')} value={draft.weekdays} onChange={(days) => set({ weekdays: days as Weekday[] })}>
              <Group gap="sm" mt={4}>
                {WEEKDAYS.map((day) => (
                  <Checkbox key={day} value={day} label={t(`day.${day}`)} />
                ))}
              </Group>
            </Checkbox.Group>
          )}
          <Group align="end" gap="xs">
            <Select
              label={t('calendar.repeat.ends')}
              value={draft.end}
              allowDeselect={false}
              onChange={(value) => set({ end: (value as EventDraft['end'] | null) ?? 'never' })}
              data={[
                { value: 'never', label: t('calendar.repeat.never') },
                { value: 'count', label: t('calendar.repeat.afterCount') },
                { value: 'until', label: t('calendar.repeat.onDate') },
              ]}
            />
            {draft.end === 'count' && (
              <TextInput
                type="number"
                label={t('calendar.repeat.count')}
                required
                min={1}
                max={9999}
                w={150}
                value={draft.count || ''}
                onChange={(event) => set({ count: Number(event.currentTarget.value) })}
              />
            )}
            {draft.end === 'until' && (
              <TextInput type="date" label={t('calendar.repeat.until')} required min={draft.date} value={draft.until} onChange={(event) => set({ until: event.currentTarget.value })} />
            )}
          </Group>
          <Text size="sm" role="status">
            {repeatSummary({ ...draft, frequency }, (day) => formatDay(day, fullDate))}
          </Text>
          <Exceptions dates={draft.exceptions} onChange={(exceptions) => set({ exceptions })} />
        </>
      )}
    </Stack>
  );
}

interface EventFormProps {
  role: Role;
  timeZone: string;
  /** The occurrence edited (its whole event); none to create one on `date`. */
  editing?: Occurrence;
  date: string;
  onDone: () => void;
}

function EventFields({ role, timeZone, editing, initial, onDone }: Omit<EventFormProps, 'date'> & { initial: EventDraft }) {
  const queryClient = useQueryClient();
  const classes = useAudienceClasses(role);
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (change: Partial<EventDraft>) => setDraft((current) => ({ ...current, ...change }));
  const isAdmin = role === 'admin';

  const save = useMutation({
    mutationFn: () =>
      editing
        ? unwrap(api.PATCH('/api/calendar/events/{id}', { params: { path: { id: editing.eventId } }, body: patchBody(draft, initial, timeZone) }))
        : unwrap(api.POST('/api/calendar/events', { body: createBody(draft, timeZone) })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: calendarKey });
      // A holiday takes lessons out of the weeks shown on the timetable pages.
      if (draft.type === 'holiday' || initial.type === 'holiday') void queryClient.invalidateQueries({ queryKey: ['timetable'] });
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = problemOf(draft);
    setProblem(found);
    if (!found) save.mutate();
  };
  const types = isAdmin ? EVENT_TYPES : EVENT_TYPES.filter((type) => type !== 'holiday');
  const classOptions = (classes.data ?? []).map((klass) => ({ value: klass.id, label: klass.name }));

  return (
    <Stack component="form" onSubmit={submit}>
      {editing?.recurring && (
        <Text size="sm" fw={600}>
          {t('calendar.form.seriesNote')}
        </Text>
      )}
      {!isAdmin && <Text size="sm">{t('calendar.form.teacherRules')}</Text>}
      <TextInput label={t('calendar.form.title')} required maxLength={200} value={draft.title} onChange={(event) => set({ title: event.currentTarget.value })} data-autofocus />
      <Textarea label={t('calendar.form.description')} autosize minRows={2} value={draft.description} onChange={(event) => set({ description: event.currentTarget.value })} />
      <Select
        label={t('calendar.form.type')}
        value={draft.type}
        allowDeselect={false}
        data={types.map((type) => ({ value: type, label: t(`calendar.type.${type}`) }))}
        onChange={(value) => {
          const type = (value as EventType | null) ?? 'event';
          // A holiday is for everyone or for classes, never for teachers only.
          set(type === 'holiday' && draft.audience === 'teachersOnly' ? { type, audience: 'all' } : { type });
        }}
      />
      {draft.type === 'holiday' && <Text size="sm">{t('calendar.form.holidayNote')}</Text>}
      {isAdmin && (
        <Select
          label={t('calendar.form.audience')}
          value={draft.audience}
          allowDeselect={false}
          onChange={(value) => set({ audience: (value as AudienceKind | null) ?? 'all' })}
          data={[
            { value: 'all', label: t('calendar.audience.all') },
            { value: 'classes', label: t('calendar.audience.classes') },
            ...(draft.type === 'holiday' ? [] : [{ value: 'teachersOnly', label: t('calendar.audience.teachersOnly') }]),
          ]}
        />
      )}
      {draft.audience === 'classes' && (
        <QueryState query={classes}>
          {() => <MultiSelect label={t('calendar.form.classes')} required searchable value={draft.classIds} onChange={(classIds) => set({ classIds })} data={classOptions} />}
        </QueryState>
      )}
      <Checkbox label={t('calendar.form.allDay')} checked={draft.allDay} onChange={(event) => set({ allDay: event.currentTarget.checked })} />
      <Group align="end" gap="xs">
        <TextInput
          type="date"
          required
          label={editing?.recurring ? t('calendar.form.firstDate') : t('calendar.form.date')}
          value={draft.date}
          onChange={(event) => {
            const date = event.currentTarget.value;
            set({ date, endDate: draft.endDate < date ? date : draft.endDate });
          }}
        />
        {draft.allDay ? (
          <TextInput type="date" required label={t('calendar.form.endDate')} min={draft.date} value={draft.endDate} onChange={(event) => set({ endDate: event.currentTarget.value })} />
        ) : (
          <>
            <TextInput type="time" required label={t('calendar.form.startTime')} value={draft.startTime} onChange={(event) => set({ startTime: event.currentTarget.value })} />
            <TextInput type="time" required label={t('calendar.form.endTime')} value={draft.endTime} onChange={(event) => set({ endTime: event.currentTarget.value })} />
          </>
        )}
      </Group>
      <RepeatFields draft={draft} set={set} editingSeries={Boolean(editing?.recurring)} />
      {problem && (
        <Alert color="red" role="alert" variant="light">
          {problem}
        </Alert>
      )}
      <EventError error={save.error} />
      <Group>
        <Button type="submit" loading={save.isPending}>
          {editing ? t('calendar.form.save') : t('calendar.form.create')}
        </Button>
        <Button variant="default" onClick={onDone}>
          {t('calendar.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * The first occurrence of a series within the past year. There is no call that reads one event, and
 * an occurrence carries the dates of its own day; the form edits the series from its start.
 */
function useSeriesStart(occurrence: Occurrence | undefined) {
  const recurring = Boolean(occurrence?.recurring);
  return useQuery({
    queryKey: [...calendarKey, 'series', occurrence?.eventId],
    enabled: recurring,
    staleTime: 0,
    queryFn: async () => {
      const day = daysOf(occurrence!).first;
      const year = await unwrap(api.GET('/api/calendar', { params: { query: { from: addDays(day, -365), to: day } } }));
      return year.occurrences.find((other) => other.eventId === occurrence!.eventId) ?? occurrence!;
    },
  });
}

/** Creating an event, or editing one (a repeating one as its whole series). */
export function EventForm({ role, timeZone, editing, date, onDone }: EventFormProps) {
  const seriesStart = useSeriesStart(editing);
  if (!editing) return <EventFields role={role} timeZone={timeZone} initial={newDraft(date, role)} onDone={onDone} />;
  if (!editing.recurring) return <EventFields role={role} timeZone={timeZone} editing={editing} initial={draftOf(editing, role)} onDone={onDone} />;
  return (
    <QueryState query={seriesStart}>
      {(first) => <EventFields role={role} timeZone={timeZone} editing={editing} initial={draftOf(first, role)} onDone={onDone} />}
    </QueryState>
  );
}

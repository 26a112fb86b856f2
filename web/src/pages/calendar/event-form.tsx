import { Alert, Badge, Button, Checkbox, CloseButton, Group, MultiSelect, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { BodyOf, ResponseOf, Role } from '../../api/types';
import { t } from '../../i18n';
import { useAudienceClasses } from '../announcements/audience-classes';
import { QueryState } from '../query-state';
import { addDays, formatDay, WEEKDAYS, type Weekday, weekdayOf } from './calendar-dates';
import { EventError } from './event-error';
import { calendarKey, daysOf, EVENT_TYPES, type EventType } from './occurrences';
import { type Frequency, parseRepeatRule, type RepeatDraft, repeatRule, repeatSummary } from './repeat-rule';
import { wallClock, zonedTimestamp } from './zoned-time';

type CreateBody = BodyOf<'/api/calendar/events', 'post'>;
type PatchBody = BodyOf<'/api/calendar/events/{id}', 'patch'>;
/** The event as stored: a series with its rule, its exceptions and its first occurrence. */
type StoredEvent = ResponseOf<'/api/calendar/events/{id}', 'get'>;
type AudienceKind = 'all' | 'classes' | 'teachersOnly';
/** 'keep': a series whose rule the builder cannot show (yearly, every other week, ...) keeps it. */
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

/** The form filled from the stored event: a series from its first day, its rule read back into the builder. */
function draftOf(event: StoredEvent, role: Role, timeZone: string): EventDraft {
  const { first, last } = daysOf(event);
  const draft = newDraft(first, role);
  const audience: AudienceKind = event.audience.all ? 'all' : event.audience.teachersOnly ? 'teachersOnly' : 'classes';
  const timed = event.allDay
    ? { endDate: last }
    : {
        startTime: wallClock(event.startsAt!).time,
        endTime: wallClock(event.endsAt!).time,
        spanDays: Math.round((Date.parse(wallClock(event.endsAt!).date) - Date.parse(first)) / 86_400_000),
      };
  const rule = event.recurrence === null ? null : parseRepeatRule(event.recurrence, timeZone, weekdayOf(first));
  const { frequency, ...repeat } = rule ?? { frequency: event.recurrence === null ? 'none' : 'keep' };
  return {
    ...draft,
    ...timed,
    ...repeat,
    title: event.title,
    description: event.description ?? '',
    type: event.type,
    audience,
    classIds: event.audience.classIds ?? [],
    allDay: event.allDay,
    repeat: frequency as Repeat,
    exceptions: event.exceptions,
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

/** The rule and its left-out dates; a series that keeps a rule the builder cannot show, only the dates. */
function repetitionOf(draft: EventDraft, timeZone: string): { recurrence?: string | null; exceptions: string[] } {
  if (draft.repeat === 'keep') return { exceptions: draft.exceptions };
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
    ...(repetition.recurrence ? { recurrence: repetition.recurrence, exceptions: repetition.exceptions } : {}),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what changed, so that saving a title does not rewrite the times or the rule others may have changed meanwhile. */
function patchBody(draft: EventDraft, initial: EventDraft, timeZone: string): PatchBody {
  const body: PatchBody = {};
  if (draft.title !== initial.title) body.title = draft.title;
  if (draft.description !== initial.description) body.description = draft.description.trim() ? draft.description : null;
  if (draft.type !== initial.type) body.type = draft.type;
  if (!same(audienceOf(draft), audienceOf(initial))) body.audience = audienceOf(draft);
  const timing = timingOf(draft, timeZone);
  if (!same(timing, timingOf(initial, timeZone))) Object.assign(body, timing);
  const repetition = repetitionOf(draft, timeZone);
  if (!same(repetition, repetitionOf(initial, timeZone))) Object.assign(body, repetition);
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

/**
 * The simple builder: daily, weekly on chosen days or monthly, ending never, after a count or on a
 * day. A stored rule it cannot show (`ownRule`) is offered as it is, to keep.
 */
function RepeatFields({ draft, set, ownRule }: { draft: EventDraft; set: (change: Partial<EventDraft>) => void; ownRule: string | null }) {
  const frequency = draft.repeat === 'none' || draft.repeat === 'keep' ? null : draft.repeat;
  return (
    <Stack gap="xs">
      <Select
        label={t('calendar.repeat.label')}
        value={draft.repeat}
        allowDeselect={false}
        onChange={(value) => set({ repeat: (value as Repeat | null) ?? 'none' })}
        data={[
          ...(ownRule ? [{ value: 'keep', label: t('calendar.repeat.keep') }] : []),
          { value: 'none', label: t('calendar.repeat.none') },
          { value: 'daily', label: t('calendar.repeat.daily') },
          { value: 'weekly', label: t('calendar.repeat.weekly') },
          { value: 'monthly', label: t('calendar.repeat.monthly') },
        ]}
      />
      {draft.repeat === 'keep' && (
        <>
          <Text size="sm">{t('calendar.repeat.ownRule', { rule: ownRule ?? '' })}</Text>
          <Exceptions dates={draft.exceptions} onChange={(exceptions) => set({ exceptions })} />
        </>
      )}
      {frequency && (
        <>
          {ownRule && <Text size="sm">{t('calendar.repeat.replaceNote')}</Text>}
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
  /** The id of the event edited (a repeating one as its whole series); none to create one on `date`. */
  editing?: string;
  date: string;
  onDone: () => void;
}

function EventFields({ role, timeZone, editing, initial, onDone }: Omit<EventFormProps, 'date' | 'editing'> & { editing?: StoredEvent; initial: EventDraft }) {
  const queryClient = useQueryClient();
  const classes = useAudienceClasses(role);
  const [draft, setDraft] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (change: Partial<EventDraft>) => setDraft((current) => ({ ...current, ...change }));
  const isAdmin = role === 'admin';

  const save = useMutation({
    mutationFn: () =>
      editing
        ? unwrap(api.PATCH('/api/calendar/events/{id}', { params: { path: { id: editing.id } }, body: patchBody(draft, initial, timeZone) }))
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
  const repeats = Boolean(editing?.recurrence);
  const types = isAdmin ? EVENT_TYPES : EVENT_TYPES.filter((type) => type !== 'holiday');
  const classOptions = (classes.data ?? []).map((klass) => ({ value: klass.id, label: klass.name }));

  return (
    <Stack component="form" onSubmit={submit}>
      {repeats && (
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
          label={repeats ? t('calendar.form.firstDate') : t('calendar.form.date')}
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
      <RepeatFields draft={draft} set={set} ownRule={initial.repeat === 'keep' ? editing!.recurrence : null} />
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

/** Creating an event, or editing one read as stored (a repeating one as its whole series, from its first day). */
export function EventForm({ role, timeZone, editing, date, onDone }: EventFormProps) {
  const stored = useQuery({
    queryKey: [...calendarKey, 'event', editing],
    enabled: editing !== undefined,
    // Read afresh at every opening: the form keeps what it first shows, so a cached copy would edit a series as it was.
    gcTime: 0,
    queryFn: () => unwrap(api.GET('/api/calendar/events/{id}', { params: { path: { id: editing! } } })),
  });
  if (!editing) return <EventFields role={role} timeZone={timeZone} initial={newDraft(date, role)} onDone={onDone} />;
  return <QueryState query={stored}>{(event) => <EventFields role={role} timeZone={timeZone} editing={event} initial={draftOf(event, role, timeZone)} onDone={onDone} />}</QueryState>;
}

import { Button, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { GRADES } from './grades';
import { type NamedRecord, RecordSelect } from './record-select';

export type SchoolClass = ResponseOf<'/api/classes/{id}', 'get'>;

/**
 * A class's name, grade, section, homeroom teacher and maximum: adds a class, or changes
 * `existing` (a maximum below its students is refused by the server and said in words).
 */
export function ClassForm({ existing, onSaved }: { existing?: SchoolClass; onSaved: (id: string) => void }) {
  const [form, setForm] = useState({
    name: existing?.name ?? '',
    grade: existing ? String(existing.grade) : '',
    section: existing?.section ?? '',
    maxStudents: (existing?.maxStudents ?? 40) as number | string,
  });
  const [teacher, setTeacher] = useState<NamedRecord | null>(existing?.homeroomTeacher ?? null);
  const save = useMutation({
    mutationFn: async () => {
      const fields = { name: form.name.trim(), grade: Number(form.grade), section: form.section.trim(), maxStudents: Number(form.maxStudents) };
      if (existing) {
        return unwrap(api.PATCH('/api/classes/{id}', { params: { path: { id: existing.id } }, body: { ...fields, homeroomTeacherId: teacher?.id ?? null } }));
      }
      return unwrap(api.POST('/api/classes', { body: { ...fields, ...(teacher ? { homeroomTeacherId: teacher.id } : {}) } }));
    },
    onSuccess: (saved) => onSaved(saved.id),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <FormError error={save.error} />
        <TextInput label={t('classes.name')} required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} data-autofocus />
        <Select label={t('classes.grade')} required data={GRADES} value={form.grade || null} onChange={(value) => setForm({ ...form, grade: value ?? '' })} />
        <TextInput label={t('classes.section')} required value={form.section} onChange={(e) => setForm({ ...form, section: e.currentTarget.value })} />
        <RecordSelect kind="teacher" label={t('classes.homeroomTeacher')} clearable value={teacher} onChange={setTeacher} />
        <NumberInput label={t('classes.maxStudents')} required min={1} max={200} value={form.maxStudents} onChange={(value) => setForm({ ...form, maxStudents: value })} />
        <Button type="submit" loading={save.isPending}>
          {existing ? t('catalog.save') : t('classes.createSubmit')}
        </Button>
      </Stack>
    </form>
  );
}

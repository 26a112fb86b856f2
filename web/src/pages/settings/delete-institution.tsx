import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useAccount, useSession } from '../../auth/session';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { Section } from './section';

/** Where the app goes once the institution is gone: sign-in, saying why (`deleted`). */
const DELETED_PATH = '/sign-in?deleted=1';

/**
 * Deleting the institution and everything in it, behind the two things only its admin knows: its
 * exact name typed out (so it is not done by a slip) and the admin's password (checked by the server).
 */
export function DeleteInstitution() {
  const { institution } = useAccount();
  const [opened, { open, close }] = useDisclosure();
  return (
    <Section title={t('settings.delete.title')} color="red">
      <Text size="sm">{t('settings.delete.intro', { name: institution.name })}</Text>
      <Group>
        <Button color="red" variant="outline" onClick={open}>
          {t('settings.delete.open')}
        </Button>
      </Group>
      <Modal
        opened={opened}
        onClose={close}
        title={t('settings.delete.confirmTitle', { name: institution.name })}
        closeButtonProps={{ 'aria-label': t('settings.close') }}
      >
        {opened ? <DeleteForm name={institution.name} onCancel={close} /> : null}
      </Modal>
    </Section>
  );
}

function DeleteForm({ name, onCancel }: { name: string; onCancel: () => void }) {
  const { forget } = useSession();
  const [typedName, setTypedName] = useState('');
  const [password, setPassword] = useState('');
  const confirmed = typedName.trim() === name.trim() && password.length > 0;
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/auth/delete-account', { body: { password } })),
    onSuccess: () => {
      forget('signed-out');
      // A full load, not a route change: nothing of the deleted institution (cached pages, the live
      // connection) outlives it, and the guard's own redirect cannot overtake this one.
      window.location.replace(DELETED_PATH);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (confirmed) remove.mutate();
  }

  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm">{t('settings.delete.warning', { name })}</Text>
        <FormError error={remove.error} />
        <TextInput
          label={t('settings.delete.typeName', { name })}
          required
          autoComplete="off"
          value={typedName}
          onChange={(e) => setTypedName(e.currentTarget.value)}
          data-autofocus
        />
        <PasswordInput label={t('settings.delete.password')} required autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('settings.cancel')}
          </Button>
          <Button type="submit" color="red" disabled={!confirmed} loading={remove.isPending}>
            {t('settings.delete.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

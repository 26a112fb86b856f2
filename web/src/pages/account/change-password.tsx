import { Alert, Button, Container, Paper, PasswordInput, Stack, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, unwrap } from '../../api/client';
import { useSession } from '../../auth/session';
import { t } from '../../i18n';
import { FormError } from '../form-error';

export function ChangePasswordPage() {
  const { replaceToken } = useSession();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const change = useMutation({
    mutationFn: () => unwrap(api.POST('/api/auth/change-password', { body: { currentPassword, newPassword } })),
    onSuccess: ({ token }) => {
      // Every earlier token is revoked, this one's included: carry on with the fresh one.
      replaceToken(token);
      setCurrentPassword('');
      setNewPassword('');
      setConfirm('');
    },
  });
  const mismatch = confirm !== '' && confirm !== newPassword;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!mismatch) change.mutate();
  }

  return (
    <Container size={480} px={0}>
      <Title order={1} mb="md">
        {t('password.title')}
      </Title>
      <Paper withBorder p="lg">
        <form onSubmit={submit}>
          <Stack>
            <FormError error={change.error} />
            {change.isSuccess ? (
              <Alert color="green" role="status">
                {t('password.changed')}
              </Alert>
            ) : null}
            <PasswordInput
              label={t('password.current')}
              autoComplete="current-password"
              required
              value={currentPassword}
              onChange={(e) => setCurrentPassword(e.currentTarget.value)}
            />
            <PasswordInput
              label={t('password.new')}
              description={t('signUp.passwordHint')}
              autoComplete="new-password"
              required
              value={newPassword}
              onChange={(e) => setNewPassword(e.currentTarget.value)}
            />
            <PasswordInput
              label={t('password.confirm')}
              autoComplete="new-password"
              required
              value={confirm}
              error={mismatch ? t('password.mismatch') : undefined}
              onChange={(e) => setConfirm(e.currentTarget.value)}
            />
            <Button type="submit" loading={change.isPending} disabled={mismatch}>
              {t('password.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Container>
  );
}

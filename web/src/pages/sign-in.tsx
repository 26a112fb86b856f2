import { Anchor, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useSession } from '../auth/session';
import { t } from '../i18n';
import { safeNextPath } from '../lib/next-path';
import { FormError } from './form-error';

/** The last institution code used here: most people sign in to the same school every time. */
const CODE_KEY = 'crm.institutionCode';

export function SignInPage() {
  const { session, signedIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next')) ?? '/';
  const [username, setUsername] = useState(params.get('username') ?? '');
  const [password, setPassword] = useState('');
  const [institutionCode, setInstitutionCode] = useState(() => params.get('code') ?? localStorage.getItem(CODE_KEY) ?? '');
  const signIn = useMutation({
    mutationFn: () => {
      const code = institutionCode.trim();
      return unwrap(api.POST('/api/auth/login', { body: { username: username.trim(), password, ...(code ? { institutionCode: code } : {}) } }));
    },
    onSuccess: (login) => {
      if (login.user.role !== 'admin' || institutionCode.trim()) localStorage.setItem(CODE_KEY, login.institution.code);
      signedIn(login);
      void navigate(next, { replace: true });
    },
  });

  if (session && !signIn.isPending) return <Navigate to={next} replace />;

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate();
  }

  return (
    <Container component="main" size={420} py="xl">
      <Title order={1} ta="center" mb="xs">
        {t('app.name')}
      </Title>
      <Paper withBorder shadow="sm" p="lg" mt="lg">
        <form onSubmit={submit} noValidate={false}>
          <Stack>
            <Title order={2} size="h3">
              {t('signIn.title')}
            </Title>
            {params.get('expired') ? <Text role="status">{t('signIn.sessionEnded')}</Text> : null}
            {params.get('deleted') ? <Text role="status">{t('settings.delete.done')}</Text> : null}
            <FormError error={signIn.error} />
            <TextInput label={t('signIn.username')} autoComplete="username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
            <PasswordInput
              label={t('signIn.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <TextInput
              label={t('signIn.institutionCode')}
              description={t('signIn.institutionCodeHint')}
              autoComplete="organization"
              value={institutionCode}
              onChange={(e) => setInstitutionCode(e.currentTarget.value.toUpperCase())}
            />
            <Button type="submit" loading={signIn.isPending} fullWidth>
              {t('signIn.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
      <Text ta="center" mt="md">
        {t('signIn.noInstitution')}{' '}
        <Anchor component={Link} to="/sign-up">
          {t('signIn.signUpLink')}
        </Anchor>
      </Text>
    </Container>
  );
}

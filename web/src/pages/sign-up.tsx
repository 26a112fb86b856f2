import { Anchor, Button, Code, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { t } from '../i18n';
import { FormError } from './form-error';

export function SignUpPage() {
  const [form, setForm] = useState({ institutionName: '', name: '', username: '', email: '', password: '' });
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (event: { currentTarget: { value: string } }) => setForm({ ...form, [name]: event.currentTarget.value }),
  });
  const signUp = useMutation({
    mutationFn: () => {
      const email = form.email.trim();
      return unwrap(
        api.POST('/api/setup/admin', {
          body: {
            institutionName: form.institutionName.trim(),
            name: form.name.trim(),
            username: form.username.trim(),
            password: form.password,
            ...(email ? { email } : {}),
          },
        }),
      );
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    signUp.mutate();
  }

  const done = signUp.data;
  return (
    <Container component="main" size={480} py="xl">
      <Title order={1} ta="center">
        {t('app.name')}
      </Title>
      <Paper withBorder shadow="sm" p="lg" mt="lg">
        {done ? (
          <Stack>
            <Title order={2} size="h3">
              {t('signUp.doneTitle', { institution: done.institution.name })}
            </Title>
            <Text>
              {t('signUp.codeIntro')}{' '}
              <Code fz="xl" data-testid="institution-code">
                {done.institution.code}
              </Code>
            </Text>
            <Text>{t('signUp.codeHint')}</Text>
            <Button component={Link} to={`/sign-in?${new URLSearchParams({ username: done.admin.username, code: done.institution.code })}`}>
              {t('signUp.continue', { username: done.admin.username })}
            </Button>
          </Stack>
        ) : (
          <form onSubmit={submit}>
            <Stack>
              <Title order={2} size="h3">
                {t('signUp.title')}
              </Title>
              <FormError error={signUp.error} />
              <TextInput label={t('signUp.institutionName')} required autoComplete="organization" {...field('institutionName')} />
              <TextInput label={t('signUp.name')} required autoComplete="name" {...field('name')} />
              <TextInput label={t('signUp.username')} description={t('signUp.usernameHint')} required autoComplete="username" {...field('username')} />
              <TextInput label={t('signUp.email')} type="email" autoComplete="email" {...field('email')} />
              <PasswordInput label={t('signUp.password')} description={t('signUp.passwordHint')} required autoComplete="new-password" {...field('password')} />
              <Button type="submit" loading={signUp.isPending} fullWidth>
                {t('signUp.submit')}
              </Button>
            </Stack>
          </form>
        )}
      </Paper>
      <Text ta="center" mt="md">
        {t('signUp.haveAccount')}{' '}
        <Anchor component={Link} to="/sign-in">
          {t('signUp.signInLink')}
        </Anchor>
      </Text>
    </Container>
  );
}

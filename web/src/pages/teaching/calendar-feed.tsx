import { Alert, Button, Card, CopyButton, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { ConfirmDialog } from '../confirm-dialog';

/** The same address for calendar apps that subscribe through webcal:// links (phones open them in their calendar). */
function webcalOf(url: string): string {
  return url.replace(/^https?:/, 'webcal:');
}

/**
 * The personal calendar-feed link (lessons, events, due dates) to subscribe to on a phone. The
 * server keeps only a hash of the link, so it is shown once when made; making a new one, or
 * turning it off, stops the old one.
 */
export function CalendarFeedCard() {
  const [url, setUrl] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<'rotate' | 'revoke' | null>(null);
  const [revoked, setRevoked] = useState(false);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/calendar/feed')),
    onSuccess: (feed) => {
      setUrl(feed.url);
      setRevoked(false);
      setConfirming(null);
    },
  });
  const revoke = useMutation({
    mutationFn: async () => {
      try {
        await unwrap(api.DELETE('/api/calendar/feed'));
      } catch (error) {
        // No link to turn off: what was asked for is already so.
        if (!(error instanceof ApiError && error.status === 404)) throw error;
      }
    },
    onSuccess: () => {
      setUrl(null);
      setRevoked(true);
      setConfirming(null);
    },
  });
  // Copying needs the clipboard API, which browsers give only to https (or localhost) pages.
  const canCopy = window.isSecureContext && 'clipboard' in navigator;

  return (
    <Card withBorder component="section" aria-labelledby="calendar-feed-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="calendar-feed-title">
          {t('teaching.feed.title')}
        </Title>
        <Text size="sm">{t('teaching.feed.intro')}</Text>
        <FormError error={confirming ? null : create.error} />
        {revoked ? (
          <Alert color="green" role="status" variant="light">
            {t('teaching.feed.revoked')}
          </Alert>
        ) : null}
        {url ? (
          <Stack gap="xs">
            <TextInput label={t('teaching.feed.link')} value={url} readOnly onFocus={(event) => event.currentTarget.select()} />
            <Group gap="xs">
              {canCopy ? (
                <CopyButton value={url}>
                  {({ copied, copy }) => (
                    <Button variant="light" onClick={copy} aria-live="polite">
                      {copied ? t('teaching.feed.copied') : t('teaching.feed.copy')}
                    </Button>
                  )}
                </CopyButton>
              ) : null}
              <Button variant="light" component="a" href={webcalOf(url)}>
                {t('teaching.feed.open')}
              </Button>
            </Group>
            <Text size="sm" fw={600}>
              {t('teaching.feed.howTo')}
            </Text>
            <List size="sm" type="ordered">
              <List.Item>{t('teaching.feed.howToPhone')}</List.Item>
              <List.Item>{t('teaching.feed.howToIphone')}</List.Item>
              <List.Item>{t('teaching.feed.howToGoogle')}</List.Item>
            </List>
            <Text size="xs" c="dimmed">
              {t('teaching.feed.secret')}
            </Text>
          </Stack>
        ) : null}
        <Group gap="xs">
          {url ? (
            <Button variant="default" onClick={() => setConfirming('rotate')}>
              {t('teaching.feed.rotate')}
            </Button>
          ) : (
            <Button onClick={() => create.mutate()} loading={create.isPending}>
              {t('teaching.feed.create')}
            </Button>
          )}
          <Button variant="outline" color="red" onClick={() => setConfirming('revoke')}>
            {t('teaching.feed.revoke')}
          </Button>
        </Group>
        {url ? null : (
          <Text size="xs" c="dimmed">
            {t('teaching.feed.createHint')}
          </Text>
        )}
      </Stack>
      <ConfirmDialog
        opened={confirming !== null}
        title={confirming === 'rotate' ? t('teaching.feed.rotateTitle') : t('teaching.feed.revokeTitle')}
        message={confirming === 'rotate' ? t('teaching.feed.rotateConfirm') : t('teaching.feed.revokeConfirm')}
        confirmLabel={confirming === 'rotate' ? t('teaching.feed.rotate') : t('teaching.feed.revoke')}
        pending={create.isPending || revoke.isPending}
        error={confirming === 'rotate' ? create.error : revoke.error}
        onConfirm={() => (confirming === 'rotate' ? create.mutate() : revoke.mutate())}
        onClose={() => setConfirming(null)}
      />
    </Card>
  );
}

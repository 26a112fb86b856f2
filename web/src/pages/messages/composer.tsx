import { Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { BodyOf } from '../../api/types';
import { ApiError } from '../../api/errors';
import { uploadFiles } from '../../api/files';
import { t } from '../../i18n';
import { FormError } from '../form-error';
import { type Quote, ReplyQuote } from './message';
import { type Recording, VoiceRecorder } from './voice';

type SendBody = BodyOf<'/api/messages', 'post'>;

/** A recording as the file the upload sends: its name's extension matches what the browser recorded. */
function recordingFile(recording: Recording): File {
  const extension = recording.blob.type.startsWith('audio/ogg') ? 'ogg' : 'webm';
  return new File([recording.blob], `voice-message.${extension}`, { type: recording.blob.type });
}

interface ComposerProps {
  partnerId: string;
  partnerName: string;
  replyTo: { quote: Quote; author: string } | null;
  onCancelReply: () => void;
  onSent: () => void;
}

/** Writing to the partner: text (Enter sends, Shift+Enter breaks the line) or a voice message, as a reply while one is chosen. */
export function Composer({ partnerId, partnerName, replyTo, onCancelReply, onSent }: ComposerProps) {
  const [text, setText] = useState('');
  const textarea = useRef<HTMLTextAreaElement>(null);
  // Choosing "Reply" takes the keyboard to the text, where the reply is written.
  const replyId = replyTo?.quote.id;
  useEffect(() => {
    if (replyId) textarea.current?.focus();
  }, [replyId]);
  const post = (body: Omit<SendBody, 'receiverId' | 'replyTo'>) =>
    unwrap(api.POST('/api/messages', { body: { receiverId: partnerId, ...body, ...(replyTo ? { replyTo: replyTo.quote.id } : {}) } }));
  const send = useMutation({
    mutationFn: (message: string) => post({ message }),
    onSuccess: () => {
      setText('');
      onSent();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() && !send.isPending) send.mutate(text);
  };
  // The recorder shows its own progress and errors: the upload and the message are one step there.
  const sendVoice = async (recording: Recording, onProgress: (fraction: number) => void) => {
    const [file] = await uploadFiles([recordingFile(recording)], onProgress);
    if (!file) throw new Error('the upload answered no file');
    await post({ messageType: 'audio', fileId: file.id, durationSeconds: Math.round(recording.seconds * 10) / 10 });
    onSent();
  };
  const forbidden = send.error instanceof ApiError && send.error.status === 403;

  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        {replyTo && (
          <Paper withBorder p="xs" data-testid="replying-to">
            <Group justify="space-between" wrap="nowrap" align="start">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text size="xs" c="dimmed">
                  {t('messages.replyingTo')}
                </Text>
                <ReplyQuote quote={replyTo.quote} author={replyTo.author} />
              </Stack>
              <Button size="compact-xs" variant="subtle" onClick={onCancelReply}>
                {t('messages.cancelReply')}
              </Button>
            </Group>
          </Paper>
        )}
        <Textarea
          ref={textarea}
          label={t('messages.write')}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          maxLength={5000}
          autosize
          minRows={2}
          maxRows={8}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) submit(event);
          }}
        />
        {forbidden ? (
          <Text role="alert" c="red.9">
            {t('messages.forbidden', { name: partnerName })}
          </Text>
        ) : (
          <FormError error={send.error} />
        )}
        <Group justify="space-between" align="start">
          <Button type="submit" loading={send.isPending} disabled={!text.trim()}>
            {t('messages.send')}
          </Button>
          <VoiceRecorder send={sendVoice} disabled={send.isPending} />
        </Group>
      </Stack>
    </form>
  );
}

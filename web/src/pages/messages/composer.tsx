import { Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { type InfiniteData, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../../api/client';
import type { BodyOf } from '../../api/types';
import { ApiError } from '../../api/errors';
import { uploadFiles } from '../../api/files';
import { useAccount } from '../../auth/session';
import { t } from '../../i18n';
import { liveKeys } from '../../live/live-events';
import { FormError } from '../form-error';
import { type Message, type MessagePage, PENDING_PREFIX, type Quote, ReplyQuote } from './message';
import { type Recording, VoiceRecorder } from './voice';

type SendBody = BodyOf<'/api/messages', 'post'>;

/** A recording as the file the upload sends: its name's extension matches what the browser recorded. */
function recordingFile(recording: Recording): File {
  const extension = recording.blob.type.startsWith('audio/ogg') ? 'ogg' : 'webm';
  return new File([recording.blob], `voice-message.${extension}`, { type: recording.blob.type });
}

/** The conversation's newest page with `message` in front of it, as the server will list it once it has it. */
function withPending(data: InfiniteData<MessagePage> | undefined, message: Message): InfiniteData<MessagePage> | undefined {
  const [newest, ...older] = data?.pages ?? [];
  if (!data || !newest) return data;
  return { ...data, pages: [{ ...newest, items: [message, ...newest.items] }, ...older] };
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
  const { user } = useAccount();
  const queryClient = useQueryClient();
  const messagesKey = [...liveKeys.messages, partnerId];
  // The text shows in the conversation at once, marked "Sending…"; if the server refuses it, it
  // leaves the conversation and goes back into the box with the reason under it.
  const send = useMutation({
    mutationFn: (message: string) => post({ message }),
    onMutate: async (message) => {
      setText('');
      await queryClient.cancelQueries({ queryKey: messagesKey });
      const previous = queryClient.getQueryData<InfiniteData<MessagePage>>(messagesKey);
      const pending: Message = {
        id: `${PENDING_PREFIX}${Date.now()}`,
        senderId: user.id,
        receiverId: partnerId,
        messageType: 'text',
        message,
        file: null,
        durationSeconds: null,
        replyTo: replyTo?.quote ?? null,
        aboutStudentId: null,
        readAt: null,
        deletedAt: null,
        createdAt: new Date().toISOString(),
      };
      queryClient.setQueryData<InfiniteData<MessagePage>>(messagesKey, (data) => withPending(data, pending));
      return { previous };
    },
    onError: (_error, message, context) => {
      if (context?.previous) queryClient.setQueryData(messagesKey, context.previous);
      setText(message);
    },
    onSuccess: onSent,
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

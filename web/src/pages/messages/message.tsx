import { Box, Button, Group, Paper, Text } from '@mantine/core';
import type { ResponseOf } from '../../api/types';
import { t } from '../../i18n';
import { formatDuration, VoicePlayer } from './voice';

export type MessagePage = ResponseOf<'/api/messages/{userId}', 'get'>;
export type Message = MessagePage['items'][number];
/** What a reply shows of the message it answers (the API's reply summary, or the message itself while replying). */
export type Quote = NonNullable<Message['replyTo']>;

/** A message shown before the server has it (its id is made up here, see the composer). */
export const PENDING_PREFIX = 'pending:';
const isPending = (message: Message) => message.id.startsWith(PENDING_PREFIX);

/** The server lets a sender take a message back this long (messages/policy.ts DELETE_WINDOW_MINUTES). */
const DELETE_WINDOW_MS = 15 * 60_000;

export function quoteText(quote: Quote): string {
  if (quote.deletedAt) return t('messages.deleted');
  if (quote.messageType === 'audio') return quote.durationSeconds === null ? t('messages.voice') : t('messages.voiceOf', { duration: formatDuration(quote.durationSeconds) });
  return quote.message ?? '';
}

/** Admins take back any message, senders their own within the window; the server has the last word (403 after it). */
export function mayDelete(message: Message, me: { id: string; role: string }, now = Date.now()): boolean {
  if (message.deletedAt || isPending(message)) return false;
  if (me.role === 'admin') return true;
  return message.senderId === me.id && now - new Date(message.createdAt).getTime() < DELETE_WINDOW_MS;
}

/** The quoted message above a reply and in the composer while replying: who wrote it and its start. */
export function ReplyQuote({ quote, author }: { quote: Quote; author: string }) {
  return (
    <Box pl={6} mb={4} style={{ borderLeft: '3px solid var(--mantine-color-gray-5)' }} data-testid="quote">
      <Text size="xs" fw={600}>
        {author}
      </Text>
      <Text size="xs" c="dimmed" fs="italic" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
        {quoteText(quote)}
      </Text>
    </Box>
  );
}

interface MessageItemProps {
  message: Message;
  mine: boolean;
  /** The name shown for a quoted message's author. */
  authorOf: (senderId: string) => string;
  deletable: boolean;
  onReply: (message: Message) => void;
  onDelete: (message: Message) => void;
}

/** One message of a conversation: the quote it answers, its text or voice, when it was sent, read or not, and its actions. */
export function MessageItem({ message, mine, authorOf, deletable, onReply, onDelete }: MessageItemProps) {
  const preview = quoteText(message).slice(0, 40);
  const pending = isPending(message);
  const delivery = pending ? t('messages.sending') : message.readAt ? t('messages.read') : t('messages.sent');
  return (
    <Paper p="xs" radius="md" withBorder bg={mine ? 'blue.0' : undefined}>
      {message.replyTo && <ReplyQuote quote={message.replyTo} author={authorOf(message.replyTo.senderId)} />}
      {message.deletedAt ? (
        <Text c="dimmed">{t('messages.deleted')}</Text>
      ) : message.messageType === 'audio' && message.file ? (
        <VoicePlayer fileId={message.file.id} durationSeconds={message.durationSeconds} />
      ) : (
        <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{message.message}</Text>
      )}
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed" data-testid="delivery">
          {new Date(message.createdAt).toLocaleString()}
          {mine ? ` · ${delivery}` : ''}
        </Text>
        {!message.deletedAt && !pending && (
          <Group gap={0} wrap="nowrap">
            <Button variant="subtle" size="compact-xs" aria-label={t('messages.replyTo', { text: preview })} onClick={() => onReply(message)}>
              {t('messages.reply')}
            </Button>
            {deletable && (
              <Button variant="subtle" color="red" size="compact-xs" aria-label={t('messages.deleteOne', { text: preview })} onClick={() => onDelete(message)}>
                {t('messages.delete')}
              </Button>
            )}
          </Group>
        )}
      </Group>
    </Paper>
  );
}

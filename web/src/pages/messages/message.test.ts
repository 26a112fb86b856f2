// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { type Message, mayDelete, quoteText } from './message';
import { formatDuration } from './voice';

const SENT_AT = Date.parse('2026-11-26T08:00:00Z');
const message = (changes: Partial<Message> = {}): Message => ({
  id: 'm1',
  senderId: 'teacher',
  receiverId: 'student',
  messageType: 'text',
  message: 'Bring your lab notes.',
  file: null,
  durationSeconds: null,
  replyTo: null,
  aboutStudentId: null,
  readAt: null,
  deletedAt: null,
  createdAt: new Date(SENT_AT).toISOString(),
  ...changes,
});
const minutes = (n: number) => SENT_AT + n * 60_000;

describe('mayDelete', () => {
  it('lets the sender take a message back for 15 minutes', () => {
    const teacher = { id: 'teacher', role: 'teacher' };
    expect(mayDelete(message(), teacher, minutes(14))).toBe(true);
    expect(mayDelete(message(), teacher, minutes(15))).toBe(false);
  });

  it('never lets the receiver, always an admin, and nobody a deleted message', () => {
    expect(mayDelete(message(), { id: 'student', role: 'student' }, minutes(1))).toBe(false);
    expect(mayDelete(message(), { id: 'admin', role: 'admin' }, minutes(600))).toBe(true);
    expect(mayDelete(message({ deletedAt: new Date(minutes(1)).toISOString() }), { id: 'admin', role: 'admin' }, minutes(2))).toBe(false);
  });
});

describe('quoteText', () => {
  it('says what a quote holds: text, a voice message with its length, or that it was deleted', () => {
    expect(quoteText(message())).toBe('Bring your lab notes.');
    expect(quoteText(message({ messageType: 'audio', message: null, durationSeconds: 65 }))).toBe('Voice message, 1:05');
    expect(quoteText(message({ messageType: 'audio', message: null }))).toBe('Voice message');
    expect(quoteText(message({ message: null, deletedAt: new Date().toISOString() }))).toBe('Message deleted');
  });
});

describe('formatDuration', () => {
  it('writes minutes and two-digit seconds', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(2.4)).toBe('0:02');
    expect(formatDuration(600)).toBe('10:00');
  });
});

import { describe, expect, it } from 'vitest';
import { ApiError, plainMessage, toApiError } from './errors';

describe('plainMessage', () => {
  it('says a known code in the app’s own words', () => {
    const error = toApiError(401, { code: 'INVALID_CREDENTIALS', message: 'Invalid username, password or institution code' });
    expect(plainMessage(error)).toBe('The username, password or institution code is not right. Check them and try again.');
  });

  it('names the fields of a validation error', () => {
    const error = toApiError(400, {
      code: 'VALIDATION_ERROR',
      message: 'Invalid request: password must NOT have fewer than 8 characters',
      details: [{ field: 'password', message: 'must NOT have fewer than 8 characters' }],
    });
    expect(plainMessage(error)).toBe('Some fields need attention: password must NOT have fewer than 8 characters.');
  });

  it('passes on the server’s sentence for a code the app has no words for', () => {
    expect(plainMessage(toApiError(409, { code: 'CAPACITY_EXCEEDED', message: 'The class is full (30 of 30)' }))).toBe('The class is full (30 of 30)');
  });

  it('never shows a body that is not the error shape, nor a server failure’s details', () => {
    expect(plainMessage(toApiError(502, '<html>Bad gateway</html>'))).toBe('Something went wrong on our side. Try again in a moment.');
    expect(plainMessage(new ApiError(500, { code: 'X_FAILED', message: 'stack trace' }))).toBe('Something went wrong on our side. Try again in a moment.');
    expect(plainMessage(toApiError(418, { unexpected: true }))).toBe('Something went wrong on our side. Try again in a moment.');
  });

  it('tells a network failure apart from a server one', () => {
    expect(plainMessage(new TypeError('Failed to fetch'))).toBe('The server could not be reached. Check your connection and try again.');
  });
});

describe('plainMessage with the facts an error carries', () => {
  it('says what still uses a record and how many', () => {
    expect(plainMessage(toApiError(409, { code: 'IN_USE', message: 'x', references: { curriculum: 1, lessons: 12 } }))).toBe(
      'This cannot be deleted while it is still used by 1 class curriculum row and 12 lessons in the timetable. Remove it from those first.',
    );
  });

  it('explains a full class with its counts and students already elsewhere', () => {
    expect(plainMessage(toApiError(409, { code: 'CLASS_FULL', message: 'x', maxStudents: 2, current: 1, requested: 3 }))).toBe(
      'Not enough room in the class: 1 of 2 places are taken and 3 students were to be added. Raise its maximum or pick fewer students.',
    );
    expect(plainMessage(toApiError(409, { code: 'ALREADY_ENROLLED', message: 'x', class: { id: 'c', name: '7A' }, studentIds: ['a'] }))).toBe(
      '1 of the chosen students are already in class 7A. Remove them there first, or pick other students.',
    );
  });
});

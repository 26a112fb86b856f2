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

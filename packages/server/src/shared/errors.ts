/**
 * The small set of application errors. Each has a stable code (part of the API contract) and an
 * HTTP status; one handler in transport/http.ts maps them, so routes never build error bodies.
 */
import type { ApiErrorCode } from '@carechat/protocol';

export class AppError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: unknown) => new AppError('bad_request', 400, message, details);
export const unauthorized = (code: ApiErrorCode = 'unauthorized', message = 'Please sign in.') =>
  new AppError(code, 401, message);
export const forbidden = (message = 'You are not allowed to do that.') => new AppError('forbidden', 403, message);
export const notFound = (code: ApiErrorCode = 'not_found', message = 'Not found.') => new AppError(code, 404, message);
export const conflict = (code: ApiErrorCode, message: string) => new AppError(code, 409, message);

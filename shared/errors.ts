// Errors cross the API boundary as { code, message }: a stable code for programs and a Chinese
// message a cashier can read. Never a stack trace.
export interface ApiError {
  code: string;
  message: string;
  /** Optional machine-readable details (e.g. which field was wrong). */
  details?: unknown;
}

export class TillError extends Error implements ApiError {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'TillError';
  }
  toJSON(): ApiError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).code === 'string' &&
    typeof (value as ApiError).message === 'string'
  );
}

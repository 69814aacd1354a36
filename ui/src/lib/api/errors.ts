//! Every failed command rejects with a BackendError: the Rust shell sends `{ code, message }`, and the
//! fixture backend throws the same shape. Views show `message` (already written for users) and branch
//! on `code` only where they must (e.g. `cancelled`).
import type { BackendErrorPayload } from './bindings/BackendErrorPayload';

export class BackendError extends Error {
	readonly code: string;

	constructor(code: string, message: string) {
		super(message);
		this.name = 'BackendError';
		this.code = code;
	}

	/** Whatever a command rejected with, as a BackendError. */
	static from(reason: unknown): BackendError {
		if (reason instanceof BackendError) return reason;
		if (isPayload(reason)) return new BackendError(reason.code, reason.message);
		if (reason instanceof Error) return new BackendError('internal', reason.message);
		if (typeof reason === 'string') return new BackendError('internal', reason);
		return new BackendError('internal', 'Unexpected error from the backend');
	}
}

function isPayload(value: unknown): value is BackendErrorPayload {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { code?: unknown }).code === 'string' &&
		typeof (value as { message?: unknown }).message === 'string'
	);
}

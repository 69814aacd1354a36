//! Every failed command rejects with a BackendError: the Rust shell sends `{ code, message }`, and the
//! fixture backend throws the same shape. Views show `message` (already written for users) and branch
//! on `code` only where they must (e.g. `cancelled`).
import type { BackendErrorPayload } from './bindings/BackendErrorPayload';
import type { ScoringError } from './bindings/ScoringError';

/** The shell's error codes (generated from src-tauri/src/error.rs). */
export type ErrorCode = BackendErrorPayload['code'];

export class BackendError extends Error {
	readonly code: ErrorCode;
	/** For a refusal of the risk model: what it refused, with the factor or value at fault. */
	readonly scoring: ScoringError | undefined;

	constructor(code: ErrorCode, message: string, scoring?: ScoringError) {
		super(message);
		this.name = 'BackendError';
		this.code = code;
		this.scoring = scoring;
	}

	/** Whatever a command rejected with, as a BackendError. */
	static from(reason: unknown): BackendError {
		if (reason instanceof BackendError) return reason;
		if (isPayload(reason)) return new BackendError(reason.code, reason.message, reason.scoring);
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

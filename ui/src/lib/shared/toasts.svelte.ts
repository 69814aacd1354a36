//! Transient messages (success, error) shown by <Toast />; errors stay until dismissed.

export type ToastKind = 'info' | 'success' | 'error';
/** A button on a toast (Undo): runs, then the toast goes. */
export type ToastAction = { label: string; run: () => void };
export type ToastItem = { id: number; kind: ToastKind; message: string; action?: ToastAction };

export class Toasts {
	items = $state<ToastItem[]>([]);
	private nextId = 1;

	push(kind: ToastKind, message: string, timeoutMs = kind === 'error' ? 0 : 4000, action?: ToastAction): number {
		const id = this.nextId++;
		this.items = [...this.items.slice(-4), action ? { id, kind, message, action } : { id, kind, message }];
		if (timeoutMs > 0) setTimeout(() => this.dismiss(id), timeoutMs);
		return id;
	}

	info(message: string): number {
		return this.push('info', message);
	}

	success(message: string): number {
		return this.push('success', message);
	}

	/** A success with a button (Undo), shown long enough to reach it. */
	successWithAction(message: string, action: ToastAction, timeoutMs = 12000): number {
		return this.push('success', message, timeoutMs, action);
	}

	/** Shows an error's message (a BackendError's is written for users). */
	error(reason: unknown, prefix?: string): number {
		const message = reason instanceof Error ? reason.message : String(reason);
		return this.push('error', prefix ? `${prefix}: ${message}` : message);
	}

	dismiss(id: number): void {
		this.items = this.items.filter((t) => t.id !== id);
	}
}

export const toasts = new Toasts();

//! Transient messages (success, error) shown by <Toast />; errors stay until dismissed.

export type ToastKind = 'info' | 'success' | 'error';
export type ToastItem = { id: number; kind: ToastKind; message: string };

export class Toasts {
	items = $state<ToastItem[]>([]);
	private nextId = 1;

	push(kind: ToastKind, message: string, timeoutMs = kind === 'error' ? 0 : 4000): number {
		const id = this.nextId++;
		this.items = [...this.items.slice(-4), { id, kind, message }];
		if (timeoutMs > 0) setTimeout(() => this.dismiss(id), timeoutMs);
		return id;
	}

	info(message: string): number {
		return this.push('info', message);
	}

	success(message: string): number {
		return this.push('success', message);
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

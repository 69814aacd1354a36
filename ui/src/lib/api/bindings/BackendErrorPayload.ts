/** What every failed command rejects with. */
export type BackendErrorPayload = { code: string, message: string, };

/** A failure answered as `{"status":"0","message":…}` (PROVIDERS.md AGG-6: no codes, a message). */
export class AggError extends Error {
  readonly expected = true;

  constructor(
    message: string,
    /** For the journal only: e.g. the string the sandbox signed. */
    readonly note?: string,
  ) {
    super(message);
  }
}

import { ProviderError } from '../../core/errors.js';

/** A failure answered as `{"status":"0","message":…}` (PROVIDERS.md AGG-6: no codes, a message). */
export class AggError extends ProviderError {}

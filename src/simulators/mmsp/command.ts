import type { Context } from 'hono';
import type { SimulatorContext } from '../../core/simulator.js';
import type { VerifiedEnvelope } from './envelope.js';
import type { BusinessError } from './errors.js';

/**
 * One CommandID of the MMSP envelope: what it is called, what its reply
 * CommandID is, and the handler that turns a verified request into a reply Body.
 */
export interface Command {
  id: number;
  /** Request CommandID + 0x8000, except where the document says otherwise. */
  replyId: number;
  /** For the journal, e.g. `2306 微信公众号/正扫下预订单`. */
  name: string;
  /** For scenario HTTP effects: does it create an order or ask about one. */
  kind: 'create' | 'query' | 'other';
  /**
   * The fields its reply table marks 必须, besides STATUS. A STATUS 2 reply
   * carries each of them — the value the failure knows, else "" — so a
   * merchant's parser that reads them finds them (扫码 §5.1.3 …); without it,
   * a STATUS 2 reply carries what the failure gave.
   */
  required?: readonly string[];
  /**
   * The product switch a merchant needs for it (`switches.ts`, e.g. `quick.unbind`);
   * without it the command answers 暂未开通. Absent: every merchant has it.
   */
  product?: string;
  /**
   * The Body of a business refusal (the second layer). Absent: the scan
   * document's `STATUS 2` + `ERR_CODE` / `ERR_CODE_MSG`; quick pay and the
   * gateway spell them `ERRCODE` / `ERRMSG`.
   */
  refuse?(error: BusinessError): Record<string, unknown>;
  handle(request: VerifiedEnvelope, sim: SimulatorContext, c: Context): Record<string, unknown>;
}

import type { Merchant } from '../../core/domain.js';
import { NEGATIVE_REPLY, RET_OK, RET_STRUCTURE } from './codes.js';
import { EnvelopeError } from './errors.js';
import { signBody } from './signature.js';

/**
 * The MMSP JSON envelope shared by quick pay, scan pay and gateway queries
 * (扫码 §3.1 消息结构): header fields, a `Body` object and a `Sign` over it.
 */
export interface Envelope {
  commandId: number;
  /** Every header field as received, echoed in the reply with its type. */
  header: Record<string, unknown>;
  merchantId: string;
  terminalId: string;
  agentNo: string;
  body: Record<string, unknown>;
  sign: string;
}

export interface VerifiedEnvelope extends Envelope {
  merchant: Merchant;
  /** The MD5 key that signed it: the agent's when AGENTNO names one, else the merchant's (§3.1 签名要求). */
  key: string;
  /** The merchant record whose key that is. */
  signerId: string;
}

/** Header fields echoed back in replies, in the document's order. */
const ECHOED = ['SeqID', 'NodeType', 'NodeID', 'Version', 'AGENTNO', 'MERNO', 'TERMNO'] as const;

/** The examples send integers as strings ("SeqID":"1"), so both forms are accepted (PROVIDERS.md MMSP-17). */
function integerField(header: Record<string, unknown>, name: string): number {
  const value = header[name];
  const number = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
  // The header's int fields are unsigned 32-bit on the wire (扫码 §3.1): 1e308, -1 or 2^53+1 are not one.
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0 || number > MAX_HEADER_INT) {
    throw new EnvelopeError('HEADER', `${name}必须为整数`, `${name} must be an integer from 0 to ${MAX_HEADER_INT}, got ${JSON.stringify(value)}`);
  }
  return number;
}

const MAX_HEADER_INT = 0xffffffff;
/** Body values are flat strings by the tables; anything nested deeper than this is not a Body. */
const MAX_BODY_DEPTH = 16;

function stringField(header: Record<string, unknown>, name: string, max: number, aliases: string[] = []): string {
  const key = [name, ...aliases].find((candidate) => header[candidate] !== undefined);
  const value = key === undefined ? undefined : header[key];
  if (typeof value !== 'string' && typeof value !== 'number') throw new EnvelopeError('HEADER', `缺少${name}`);
  const text = String(value);
  if (text.length === 0) throw new EnvelopeError('HEADER', `${name}不能为空`);
  if (text.length > max) throw new EnvelopeError('HEADER', `${name}长度不能超过${max}`);
  return text;
}

/**
 * Parses the raw request text. Throws an {@link EnvelopeError} for anything the
 * document's first layer (RetCode 0, 消息结构体错误) rejects.
 */
export function parseEnvelope(text: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EnvelopeError('MALFORMED');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new EnvelopeError('MALFORMED');
  const header = value as Record<string, unknown>;
  const commandId = integerField(header, 'CommandID');
  integerField(header, 'SeqID');
  integerField(header, 'NodeType');
  stringField(header, 'NodeID', 20);
  stringField(header, 'Version', 10);
  // The examples misspell MERNO as MERNNO and MERN0 (PROVIDERS.md MMSP-8): accepted.
  const merchantId = stringField(header, 'MERNO', 32, ['MERNNO', 'MERN0']);
  // TERMNO is string(8) in the table but 15 digits in the examples (MMSP-9): the larger length is allowed.
  const terminalId = stringField(header, 'TERMNO', 15);
  const agentRaw = header.AGENTNO;
  if (agentRaw !== undefined && agentRaw !== null && typeof agentRaw !== 'string') {
    throw new EnvelopeError('HEADER', 'AGENTNO必须为字符串');
  }
  const body = header.Body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new EnvelopeError('HEADER', 'Body必须为JSON对象');
  const sign = header.Sign;
  if (typeof sign !== 'string' || sign.length === 0) throw new EnvelopeError('HEADER', '缺少Sign');
  refuseInexactNumbers(body as Record<string, unknown>);
  return {
    commandId,
    header,
    merchantId,
    terminalId,
    agentNo: agentRaw ?? '',
    body: body as Record<string, unknown>,
    sign,
  };
}

/**
 * The Sign covers each value as PHP re-encodes it. A JSON number JavaScript
 * cannot hold exactly (an integer beyond 2^53, or one too large to be finite)
 * would be signed differently from what the merchant signed, so it is refused
 * naming the field; every Body field of the tables is a string anyway.
 */
function refuseInexactNumbers(value: unknown, path = '', depth = 0): void {
  if (depth > MAX_BODY_DEPTH) throw new EnvelopeError('FIELD', `Body嵌套超过${MAX_BODY_DEPTH}层`);
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
      throw new EnvelopeError('FIELD', `字段${path}的数值超出精确范围，请以字符串上送`);
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) refuseInexactNumbers(item, path ? `${path}.${key}` : key, depth + 1);
  }
}

function echoed(header: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of ECHOED) if (header[name] !== undefined) fields[name] = header[name];
  return fields;
}

/** A signed reply: CommandID + 0x8000, RetCode 1, the Body and its Sign. */
export function encodeReply(
  request: VerifiedEnvelope,
  replyCommandId: number,
  body: Record<string, unknown>,
): Record<string, unknown> {
  return {
    CommandID: replyCommandId,
    ...echoed(request.header),
    RetCode: RET_OK,
    ErrorMsg: '',
    Body: body,
    Sign: signBody(body, request.key),
  };
}

/**
 * The generic negative reply (§3.1 错误响应报文示例): CommandID 32768, RetCode 0,
 * ErrorMsg, `Body: ""` and `Sign: ""` — unsigned, as the document says.
 */
export function encodeNegative(error: EnvelopeError, header: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    CommandID: NEGATIVE_REPLY,
    SeqID: header.SeqID ?? 1,
    NodeType: header.NodeType ?? 3,
    NodeID: header.NodeID ?? 'openplat',
    Version: header.Version ?? '1.0.0',
    ...(header.AGENTNO !== undefined ? { AGENTNO: header.AGENTNO } : {}),
    ...(header.MERNO !== undefined ? { MERNO: header.MERNO } : {}),
    ...(header.TERMNO !== undefined ? { TERMNO: header.TERMNO } : {}),
    RetCode: RET_STRUCTURE,
    ErrorMsg: error.message,
    Body: '',
    Sign: '',
  };
}

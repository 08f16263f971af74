import { signBody } from '../../src/simulators/mmsp/signature.js';

export const MMSP_MERCHANT = '001440353999853';
export const MMSP_TERMINAL = '84970001';
export const MMSP_KEY = 'ea21842eea24e448b991b1cb0a0294cf';

export interface MmspReply {
  CommandID: number;
  RetCode: number;
  ErrorMsg: string;
  Body: any;
  Sign: string;
  [field: string]: unknown;
}

let sequence = 0;
/** A merchant order number unique within the test run. */
export const orderNo = (prefix = 'T') => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36)}`.slice(0, 20);

export function envelope(commandId: number, body: Record<string, unknown>, header: Record<string, unknown> = {}, key = MMSP_KEY) {
  return {
    CommandID: commandId,
    SeqID: 1,
    NodeType: 3,
    NodeID: 'openplat',
    Version: '1.0.0',
    AGENTNO: '',
    MERNO: MMSP_MERCHANT,
    TERMNO: MMSP_TERMINAL,
    Body: body,
    Sign: signBody(body, key),
    ...header,
  };
}

/** A client for `POST /mmsp/api` that signs like a merchant and checks the reply's Sign. */
export function mmspClient(url: string) {
  const raw = async (payload: unknown): Promise<MmspReply> => {
    const response = await fetch(`${url}/mmsp/api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as MmspReply;
  };
  return {
    raw,
    send: (commandId: number, body: Record<string, unknown>, header: Record<string, unknown> = {}, key = MMSP_KEY) =>
      raw(envelope(commandId, body, header, key)),
  };
}

/** A reply is valid when its Sign is the MD5 signature of its Body with the merchant key. */
export function replySignatureValid(reply: MmspReply, key = MMSP_KEY): boolean {
  return typeof reply.Body === 'object' && reply.Sign === signBody(reply.Body, key);
}

/** The fields of a QR pre-order, overridable. */
export function prepayBody(notifyUrl: string, overrides: Record<string, unknown> = {}) {
  return {
    TRADETYPE: '1',
    AMT: '100',
    MERORDERID: orderNo(),
    RANDSTR: 'r4nd0m',
    GOODSNAME: '测试商品',
    NOTIFY_URL: notifyUrl,
    ...overrides,
  };
}

export function micropayBody(notifyUrl: string, overrides: Record<string, unknown> = {}) {
  return {
    AMT: '100',
    CUR: 'CNY',
    GOODSNAME: '测试商品',
    NOTIFY_URL: notifyUrl,
    MERORDERID: orderNo(),
    RANDSTR: 'r4nd0m',
    CODE: '134567890123456789',
    ...overrides,
  };
}

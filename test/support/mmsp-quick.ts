import { createHash } from 'node:crypto';
import { MMSP_KEY, MMSP_MERCHANT, MMSP_TERMINAL, orderNo, type MmspReply } from './mmsp.js';

/**
 * The merchant side of quick pay and the gateway, written from the document
 * and not from the sandbox's code: "将Body字段业务数据数组字段按A-Z排序, json_encode
 * (中文不需要转码, url斜杠转义), &key=商户密钥, MD5, 大写" — here with JSON.stringify
 * (which leaves Chinese raw) and the slashes escaped by hand.
 */
export function merchantSign(body: Record<string, unknown>, key = MMSP_KEY): string {
  const sorted = Object.fromEntries(Object.keys(body).sort().map((name) => [name, body[name]]));
  const json = JSON.stringify(sorted).replace(/\//g, '\\/').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return createHash('md5').update(`${json}&key=${key}`, 'utf8').digest('hex').toUpperCase();
}

/** A quick-pay envelope as 快捷 §3.1's example: NodeID openapi, SeqID as a string. */
export function quickEnvelope(commandId: number, body: Record<string, unknown>, header: Record<string, unknown> = {}, key = MMSP_KEY) {
  return {
    CommandID: commandId,
    SeqID: '1',
    NodeType: '3',
    NodeID: 'openapi',
    Version: '1.0.0',
    AGENTNO: '',
    MERNO: MMSP_MERCHANT,
    TERMNO: MMSP_TERMINAL,
    Body: body,
    Sign: merchantSign(body, key),
    ...header,
  };
}

/** A client for `POST /mmsp/api` signing as the merchant does. */
export function quickClient(url: string) {
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
      raw(quickEnvelope(commandId, body, header, key)),
  };
}

/** A reply is signed when its Sign is the merchant signature of its Body. */
export const signedByPlatform = (reply: MmspReply, key = MMSP_KEY) => typeof reply.Body === 'object' && reply.Sign === merchantSign(reply.Body, key);

export interface Card {
  number: string;
  type: 'debit' | 'credit';
  bank: string;
  holder: string;
  idNumber: string;
  phone: string;
  validDate?: string;
  cvv2?: string;
  behaviour: string;
}

/** The 771 Body for a test card (the 4 elements; a credit card's date and CVN2). */
export function cardPayBody(card: Card, notifyUrl: string, overrides: Record<string, unknown> = {}) {
  return {
    MERORDERID: orderNo('Q'),
    AMT: '1234',
    CARDNO: card.number,
    CARDTYPE: card.type === 'credit' ? '2' : '1',
    ...(card.type === 'credit' ? { EXPDATE: card.validDate, CVN2: card.cvv2 } : {}),
    NAME: card.holder,
    ID_NO: card.idNumber,
    PHONENO: card.phone,
    RANDSTR: '1234567890',
    NOTIFY_URL: notifyUrl,
    ...overrides,
  };
}

/** A merchant with every quick-pay and gateway product switched on. */
export const OPEN_MERCHANT = {
  provider: 'mmsp',
  merchantId: '001440300000009',
  terminalId: '84970009',
  md5Key: '9f0e1d2c3b4a59687766554433221100',
  name: '全部开通商户',
  settings: { products: { 'quick.bind': true, 'quick.unbind': true, 'quick.bindquery': true } },
};
export const OPEN_HEADER = { MERNO: OPEN_MERCHANT.merchantId, TERMNO: OPEN_MERCHANT.terminalId };

import type { Context } from 'hono';
import { annotate, exchange, rawBody, readAnnotation } from '../../../core/exchange.js';
import type { SimulatorContext } from '../../../core/simulator.js';
import { cstCompact } from '../../../core/time-format.js';
import { PAYOUT_COMMANDS, type PayoutCommand } from './commands.js';
import { openEnvelope, parseEnvelope, sealReply, type Envelope, type OpenedRequest } from './envelope.js';
import { PayoutError } from './errors.js';
import { commandIdOf, headerText } from './fields.js';
import { messageFields } from './replies.js';

interface Incoming {
  envelope: Envelope;
  /** Set once the signature verified: from then on every answer is encrypted and signed. */
  opened?: OpenedRequest;
  commandId?: number;
}

interface Routed {
  opened: OpenedRequest;
  command: PayoutCommand;
}

const byId = new Map(PAYOUT_COMMANDS.map((command) => [command.id, command]));

/** The journal shows ciphertext both ways; the note adds both plaintexts. */
function addNote(c: Context, text: string) {
  annotate(c, { note: [readAnnotation(c).note, text].filter(Boolean).join('\n') });
}

/**
 * `POST /mmsp/payout` (代付; the document gives no URL, PROVIDERS.md MMSP-1):
 * one endpoint for 4097, 4098 and 4099, dispatched on the decrypted CMDID.
 *
 * Checks run in this order: the envelope (0002), decryption (1005), the
 * plaintext JSON (1001), MERNO (1002), the merchant's key (1004), SIGN
 * (1006) — all answered in plaintext `{"RETCODE","RETMSG"}`, since nobody is
 * identified yet — then CMDID (1001), VERSION (1007) and the command's own
 * rules, answered encrypted and signed (PROVIDERS.md MMSP-4).
 */
export function payoutHandler(sim: SimulatorContext) {
  const platformKeys = () => {
    const keys = sim.platformKeys();
    if (!keys) throw new Error('the mmsp platform key pair is missing');
    return keys;
  };

  return exchange<Incoming, Routed, Record<string, unknown>>({
    parse: async (c) => {
      annotate(c, { operation: '代付', charset: 'utf-8' });
      return { envelope: parseEnvelope(Buffer.from(await rawBody(c)).toString('utf8')) };
    },
    verify(incoming, c) {
      // Whom and what the plaintext names, so a refused request (a bad SIGN) still shows on the payout's timeline.
      const opened = openEnvelope(incoming.envelope, platformKeys(), sim.store.merchants, (plaintext) => {
        const merchantId = headerText(plaintext, 'MERNO');
        const orderNo = headerText(plaintext, 'ORDERNO');
        annotate(c, { ...(merchantId ? { merchantId } : {}), ...(orderNo ? { orderNo } : {}) });
      });
      annotate(c, { merchantId: opened.merchant.merchantId });
      addNote(c, `request plaintext: ${opened.text}`);
      incoming.opened = opened;
      const commandId = commandIdOf(opened.plaintext);
      if (commandId === undefined) throw new PayoutError('PARAM', 'CMDID缺失或不是十进制整数');
      incoming.commandId = commandId;
      const command = byId.get(commandId);
      if (!command) throw new PayoutError('PARAM', `不支持的CMDID ${commandId}（4097代付、4098代付查询、4099余额查询）`);
      annotate(c, { operation: command.name });
      const version = headerText(opened.plaintext, 'VERSION');
      if (!version) throw new PayoutError('PARAM', '缺少必填字段VERSION');
      if (version !== '1.0') throw new PayoutError('VERSION', `${version}（默认填1.0）`);
      return { opened, command };
    },
    resolve: ({ opened, command }, c) => command.handle(opened, sim, c),
    encode(reply, { opened }, c) {
      const sealed = sealReply(reply, opened.merchant, platformKeys());
      addNote(c, `reply plaintext: ${sealed.text}`);
      return c.json(sealed.body);
    },
    internal: () => new PayoutError('FAULT'),
    reject(error, c, incoming) {
      const refusal = error as PayoutError;
      if (refusal.note) addNote(c, refusal.note);
      const opened = incoming?.opened;
      if (!opened) {
        // Nobody to encrypt for (or the sender is not who it claims): plaintext, unsigned.
        return c.json({ RETCODE: refusal.code, RETMSG: refusal.message });
      }
      const orderNo = headerText(opened.plaintext, 'ORDERNO');
      const reply = {
        RETCODE: refusal.code,
        ...messageFields(incoming.commandId, refusal.message),
        MERNO: opened.merchant.merchantId,
        ...(orderNo ? { ORDERNO: orderNo } : {}),
        ...refusal.fields,
        RSPTIME: cstCompact(sim.clock.now()),
      };
      const sealed = sealReply(reply, opened.merchant, platformKeys());
      addNote(c, `reply plaintext: ${sealed.text}`);
      return c.json(sealed.body);
    },
  });
}


import { Hono, type Context } from 'hono';
import { annotate, exchange, readAnnotation } from '../../core/exchange.js';
import type { Order } from '../../core/domain.js';
import type { SimulatorContext } from '../../core/simulator.js';
import { seal } from './envelope.js';
import { queryFailureFields, queryOrder } from './query.js';
import { formParams, parseEnvelope, queryParams, rejectEnvelope, type Envelope, type VerifiedEnvelope } from './request.js';
import { verifyEnvelope } from './verify.js';
import { submitOrder } from './submit.js';

type Params = Record<string, string | undefined>;

export function icashierRoutes(sim: SimulatorContext): Hono {
  const app = new Hono();

  const verify = (operation: string) => (envelope: Envelope, c: Context) => {
    annotate(c, { operation });
    return verifyEnvelope(envelope, sim, c);
  };
  const reject = (error: unknown, c: Context, parsed: Envelope | undefined) => rejectEnvelope(sim, error, c, parsed);

  /** 3.1 交易提交: success is a 303 to the hosted cashier page (DMP-8 REC "submit → HTML/302"). */
  const submit = (operation: string, read: (c: Context) => Params | Promise<Params>) =>
    exchange<Envelope, VerifiedEnvelope, Order>({
      parse: async (c) => parseEnvelope(await read(c)),
      verify: verify(operation),
      resolve: (request, c) => submitOrder(request, sim, c),
      encode: (order, _request, c) => c.redirect(sim.payPageUrl(c, order), 303),
      reject,
      internal: sim.errors.internal,
    });

  // §3.1.2: "https://[domain]/api/icashier【POST 提交】 https://[domain]/apis/icashier【GET 提交】".
  app.post('/api/icashier', submit('交易提交 POST', formParams));
  app.get('/apis/icashier', submit('交易提交 GET', queryParams));

  // §3.4.2: "https://[domain]/api/query【POST 提交】".
  app.post(
    '/api/query',
    exchange<Envelope, VerifiedEnvelope, Record<string, unknown>>({
      parse: async (c) => parseEnvelope(await formParams(c)),
      verify: verify('交易查询'),
      resolve: (request, c) => queryOrder(request, sim, c),
      encode: (reply, request, c) => c.json(seal(reply, request.key)),
      reject: (error, c, parsed) => rejectEnvelope(sim, error, c, parsed, queryFailureFields(readAnnotation(c).order, parsed?.body)),
      internal: sim.errors.internal,
    }),
  );

  return app;
}

import type { Received } from '../../support/merchant.js';

/** What a flow gets: where the sandbox and the merchant's site are. */
export interface FlowContext {
  /** The sandbox's base URL. */
  sandbox: string;
  /** The merchant site's base URL: notifications to `/notify/{provider}`, front pages under `/return/`. */
  merchant: string;
}

/** An order placed as the merchant's integration would, and the page its payer opens. */
export interface PlacedOrder {
  /** The hosted page the provider's answer points the payer at. */
  payPageUrl: string;
  /** The merchant's order number. */
  orderNo: string;
}

/**
 * One redirect flow of a provider, declared for the browser tests
 * (README, Contributing): how the merchant places the order, what the payer's
 * page is, where the browser lands afterwards and what it brings, and
 * optionally a request about the order signed with one of the usual mistakes,
 * whose diagnosis the order's page must show.
 */
export interface BrowserFlow {
  provider: string;
  /** e.g. `912 WeChat QR`. */
  name: string;
  /** What the merchant answers to the provider's notifications. */
  ack: string;
  /** The hosted page's kind (`data-kind`): qr, h5, bank or chooser. */
  page: 'qr' | 'h5' | 'bank' | 'chooser';
  /** For a chooser: the label of the method the payer picks first. */
  choose?: string;
  /** Text the page must show in the provider's wording (goods, labels). */
  shows: string[];
  place(context: FlowContext): Promise<PlacedOrder>;
  /**
   * Where the browser lands after Pay: the merchant's front page (method, path),
   * with a check of what it brought (fields, their signature); null when the
   * provider keeps the payer on its own result page.
   */
  front: { method: 'GET' | 'POST'; path: string; check(landing: Received, context: FlowContext): void } | null;
  /** Sends a request about the order signed with a usual mistake; `mistake` is part of how the diagnosis names it. */
  badSignature?: { mistake: string; send(context: FlowContext, order: PlacedOrder): Promise<void> };
}

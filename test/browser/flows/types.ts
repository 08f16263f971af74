import type { Page } from 'playwright-core';
import type { Received } from '../../support/merchant.js';

/** What a flow gets: where the sandbox and the merchant's site are. */
export interface FlowContext {
  /** The sandbox's base URL. */
  sandbox: string;
  /** The merchant site's base URL: notifications to `/notify/{provider}`, front pages under `/return/`. */
  merchant: string;
  /**
   * Serves a page of the merchant's site (its checkout: a form that submits
   * itself to the provider, as the documents' examples do) and answers its URL.
   */
  checkout(html: string): string;
}

/** An order placed as the merchant's integration would, and the page its payer opens. */
export interface PlacedOrder {
  /**
   * Where the payer's browser goes first: the provider's hosted page, or the
   * merchant's checkout page (or the provider's redirect URL) that leads there.
   */
  payPageUrl: string;
  /** The merchant's order number, as the dashboard shows it. */
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
  /**
   * What the merchant answers to the provider's notifications; with
   * `acknowledge`, the beginning of that answer as the dashboard shows it.
   */
  ack: string;
  /** An answer built from the notification (a signed acknowledgement), instead of `ack` itself. */
  acknowledge?(notification: Received): string;
  /** The hosted page's kind (`data-kind`): qr, h5, bank, chooser, or a provider's own page (control). */
  page: 'qr' | 'h5' | 'bank' | 'chooser' | 'control';
  /** For a chooser: the label of the method the payer picks first. */
  choose?: string;
  /** Text the page must show in the provider's wording (goods, labels). */
  shows: string[];
  place(context: FlowContext): Promise<PlacedOrder>;
  /** What the payer does on the page before pressing `#pay` (card number, phone, the SMS code). */
  beforePay?(page: Page, context: FlowContext): Promise<void>;
  /**
   * Where the browser lands after Pay: the merchant's front page (method, path),
   * with a check of what it brought (fields, their signature); null when the
   * provider keeps the payer on its own result page.
   */
  front: { method: 'GET' | 'POST'; path: string; check(landing: Received, context: FlowContext): void | Promise<void> } | null;
  /** Sends a request about the order signed with a usual mistake; `mistake` is part of how the diagnosis names it. */
  badSignature?: {
    mistake: string;
    send(context: FlowContext, order: PlacedOrder): Promise<void>;
    /** What the expected signature looks like (32 hex digits by default; Base64 for RSA). */
    expected?: RegExp;
  };
}

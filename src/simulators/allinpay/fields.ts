/**
 * Every interface's fields in the order of its table: the signing order
 * (§5.1 "按照报文字段的先后顺序", never sorted) and the order replies are written in.
 */

/** §2.1 payData. `cardNo` is not signed ("该字段不参与 signMsg 的计算"); signMsg never is. */
export const PAY_DATA_SIGNED = [
  'inputCharset',
  'receiveUrl',
  'version',
  'language',
  'signType',
  'merchantId',
  'orderNo',
  'orderAmount',
  'orderCurrency',
  'orderDatetime',
  'productName',
  'ext1',
  'payType',
  'issuerId',
  'tradeNature',
] as const;

/**
 * The web gateway order form (POST /gateway/index.do, v1.0). The document is
 * the mobile control's and prints no web table: this is the official SDK's
 * `generatePaymentSignSrc` order (research brief §3), of which payData's
 * fields are a subsequence. `customsExt` is added after signing and not signed.
 */
export const WEB_ORDER_SIGNED = [
  'inputCharset',
  'pickupUrl',
  'receiveUrl',
  'version',
  'language',
  'signType',
  'merchantId',
  'payerName',
  'payerEmail',
  'payerTelephone',
  'payerIDCard',
  'pid',
  'orderNo',
  'orderAmount',
  'orderCurrency',
  'orderDatetime',
  'orderExpireDatetime',
  'productName',
  'productPrice',
  'productNum',
  'productId',
  'productDesc',
  'ext1',
  'ext2',
  'extTL',
  'payType',
  'issuerId',
  'pan',
  'tradeNature',
] as const;

/** The SDK signs a v2.0 web order without payType and issuerId (research brief §3). */
export const WEB_ORDER_V2_SIGNED = WEB_ORDER_SIGNED.filter((name) => name !== 'payType' && name !== 'issuerId');

/** §2.2.3 the payment result (notification, browser return, single query answer). */
export const RESULT_FIELDS = [
  'merchantId',
  'version',
  'language',
  'signType',
  'payType',
  'issuerId',
  'paymentOrderId',
  'orderNo',
  'orderDatetime',
  'orderAmount',
  'payDatetime',
  'payAmount',
  'ext1',
  'ext2',
  'payResult',
  'errorCode',
  'returnDatetime',
] as const;

/** §3.1 single order query (v1.5). */
export const QUERY_FIELDS = ['merchantId', 'version', 'signType', 'orderNo', 'orderDatetime', 'queryDatetime'] as const;

/** §3.3 batch order query (v1.6). */
export const BATCH_FIELDS = ['version', 'merchantId', 'beginDateTime', 'endDateTime', 'pageNo', 'signType'] as const;

/** §3.5 refund (v2.3). */
export const REFUND_FIELDS = ['version', 'signType', 'merchantId', 'orderNo', 'refundAmount', 'mchtRefundOrderNo', 'orderDatetime'] as const;

/** §3.6 the refund answer. */
export const REFUND_REPLY_FIELDS = [
  'merchantId',
  'version',
  'signType',
  'orderNo',
  'orderAmount',
  'orderDatetime',
  'refundAmount',
  'refundDatetime',
  'refundResult',
  'mchtRefundOrderNo',
  'returnDatetime',
] as const;

/** §3.7 refund status query (v2.4). The table omits signMsg (ALP-12); every client sends it and it is required. */
export const REFUND_QUERY_FIELDS = ['version', 'signType', 'merchantId', 'orderNo', 'refundAmount', 'refundDatetime', 'mchtRefundOrderNo'] as const;

/** §4.1 pre-authorisation cancel (v1.8): merchantId comes first here… */
export const CANCEL_FIELDS = ['merchantId', 'version', 'orderAmount', 'currency', 'orderNo', 'orderDatetime', 'signType'] as const;

/** §4.3 pre-authorisation confirm (v1.9): …and version first here. */
export const CONFIRM_FIELDS = ['version', 'merchantId', 'orderAmount', 'confirmAmount', 'currency', 'orderNo', 'orderDatetime', 'signType'] as const;

/** §5.4 the international card fields whose values, concatenated, ext1 is the MD5 of. */
export const INTERNATIONAL_FIELDS = [
  'ship_to_country',
  'ship_to_state',
  'ship_to_city',
  'ship_to_street1',
  'ship_to_street2',
  'ship_to_phonenumber',
  'ship_to_postalcode',
  'ship_to_firstname',
  'ship_to_lastname',
  'registration_name',
  'registration_email',
  'registration_phone',
  'buyerid_period',
  'fnpay_mode',
  'bill_firstname',
  'bill_lastname',
  'expireddate',
  'cvv2',
  'bill_email',
  'bill_country',
  'bill_address',
  'bill_city',
  'bill_state',
  'bill_zip',
  'mdd07',
  'mdd08',
  'mdd09',
  'mdd10',
  'mdd11',
  'mdd12',
  'mdd13',
  'mdd14',
  'mdd15',
  'mdd16',
  'mdd17',
  'mdd18',
] as const;

/** §2.1 "不可为空" among the international fields. */
export const INTERNATIONAL_REQUIRED = [
  'ship_to_country',
  'ship_to_state',
  'ship_to_city',
  'ship_to_street1',
  'ship_to_phonenumber',
  'ship_to_postalcode',
  'ship_to_firstname',
  'ship_to_lastname',
] as const;

export type Fields = Record<string, string>;

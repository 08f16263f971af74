// MMSP payout (代付) merchant, node:crypto only: a payout, the query the
// document requires after it, and the balance.
//
//   node docs/providers/mmsp-payout-example.mjs [http://localhost:8080]
//   AMT=2004 node docs/providers/mmsp-payout-example.mjs   # the 0001 case: query until 0000
//
// Prints one JSON line per answer (decrypted and verified).
import { constants, createPublicKey, privateDecrypt, publicEncrypt, sign, verify } from 'node:crypto';

const base = process.argv[2] ?? 'http://localhost:8080';
const MERNO = '001440353999853';

// The platform public key and the test merchant's key pair, as the sandbox generated them.
const keys = await (await fetch(`${base}/_sim/keys`)).json();
const platformPublicKey = keys.platform.mmsp.publicKey;
const merchantPrivateKey = keys.merchants.find((m) => m.provider === 'mmsp' && m.merchantId === MERNO).privateKey;

const blockBytes = (pem) => createPublicKey(pem).asymmetricKeyDetails.modulusLength / 8;

// ENCRYPT: PKCS#1 v1.5 in blocks of (key bytes − 11), cipher blocks concatenated, Base64.
function encrypt(text, publicKey) {
  const bytes = Buffer.from(text, 'utf8');
  const chunk = blockBytes(publicKey) - 11;
  const blocks = [];
  for (let i = 0; i < bytes.length; i += chunk) {
    blocks.push(publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, bytes.subarray(i, i + chunk)));
  }
  return Buffer.concat(blocks).toString('base64');
}

// Node 20 refuses PKCS#1 v1.5 in privateDecrypt: decrypt raw and strip the padding (00 02 <padding> 00 <message>).
function decrypt(base64, privateKey) {
  const data = Buffer.from(base64, 'base64');
  const k = blockBytes(privateKey);
  const parts = [];
  for (let i = 0; i < data.length; i += k) {
    const block = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, data.subarray(i, i + k));
    const separator = block.indexOf(0, 2);
    if (block[0] !== 0 || block[1] !== 2 || separator < 10) throw new Error('not PKCS#1 v1.5');
    parts.push(block.subarray(separator + 1));
  }
  return Buffer.concat(parts).toString('utf8');
}

async function call(plaintext) {
  const text = JSON.stringify(plaintext);
  const envelope = {
    ENCRYPT: encrypt(text, platformPublicKey),
    SIGN: sign('sha1', Buffer.from(text, 'utf8'), merchantPrivateKey).toString('base64'), // SHA1withRSA
  };
  const response = await fetch(`${base}/mmsp/payout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  const reply = await response.json();
  if (!reply.ENCRYPT) return reply; // refused before the merchant was identified: plaintext {RETCODE, RETMSG}
  const answer = decrypt(reply.ENCRYPT, merchantPrivateKey);
  if (!verify('sha1', Buffer.from(answer, 'utf8'), platformPublicKey, Buffer.from(reply.SIGN, 'base64'))) {
    throw new Error('the answer SIGN does not verify with the platform public key');
  }
  return JSON.parse(answer);
}

const REQTIME = new Date(Date.now() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14); // China time
const ORDERNO = `${Date.now()}${Math.floor(Math.random() * 1000)}`; // digits only

const payout = await call({
  CMDID: '4097', VERSION: '1.0', MERNO, ORDERNO, REQTIME,
  AMT: process.env.AMT ?? '100', BUSIYPE: '001', MEMO: '代付',
  ACCNAME: '张三', ACCNO: '6222021307418529630', ACCTYPE: '0', PAYTYPE: '1',
  MOBILE: '13800138000', BANKNAME: '中国工商银行',
});
console.log(JSON.stringify(payout));

// §6.2 注: 0000 → read PAYSTATE; 0001 → query, whatever PAYSTATE says.
if (payout.RETCODE === '0000' || payout.RETCODE === '0001') {
  for (let attempt = 0; attempt < 5; attempt++) {
    const status = await call({ CMDID: '4098', VERSION: '1.0', MERNO, ORDERNO, REQTIME });
    console.log(JSON.stringify(status));
    if (status.RETCODE === '0000') break;
  }
}

console.log(JSON.stringify(await call({ CMDID: '4099', VERSION: '1.0', QRYTYPE: '1', MERNO, ORDERNO: `${Date.now()}`, REQTIME })));

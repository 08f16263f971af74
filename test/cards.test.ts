import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSandbox } from './support/harness.js';
import { startSandbox } from './support/sandbox.js';

const { sim } = useSandbox({ resetEach: true });

const card = {
  number: '6222021234567890123',
  type: 'debit',
  bank: '中国工商银行',
  bankCode: 'ICBC',
  holder: '测试用户',
  idNumber: '11010519900307123X',
  phone: '13812345678',
};

describe('test cards', () => {
  it('lists the defaults with what each does', async () => {
    const cards = await sim.get('/_sim/cards');
    expect(cards.length).toBeGreaterThanOrEqual(9);
    expect(cards.map((c: { behaviour: string }) => c.behaviour)).toEqual(
      expect.arrayContaining(['ok', 'declined', 'insufficient', 'payout-fails', 'expired']),
    );
    expect(cards.find((c: { type: string }) => c.type === 'credit')).toMatchObject({ validDate: expect.any(String), cvv2: expect.any(String) });
  });

  it('adds, replaces and deletes a card through the admin API, refusing a bad one by field', async () => {
    expect(await sim.request('POST', '/_sim/cards', card)).toMatchObject({ status: 201, body: { ...card, behaviour: 'ok', source: 'api' } });
    expect(await sim.request('POST', '/_sim/cards', { ...card, behaviour: 'declined' })).toMatchObject({ status: 200 });
    expect((await sim.get('/_sim/cards')).find((c: { number: string }) => c.number === card.number).behaviour).toBe('declined');
    expect(await sim.request('POST', '/_sim/cards', { ...card, idNumber: '123' })).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID_CARD', message: expect.stringContaining('idNumber') } },
    });
    expect(await sim.request('DELETE', `/_sim/cards/${card.number}`)).toMatchObject({ status: 200 });
    expect(await sim.request('DELETE', `/_sim/cards/${card.number}`)).toMatchObject({ status: 404, body: { error: { code: 'CARD_NOT_FOUND' } } });
  });
});

describe('DATA_DIR/cards.json', () => {
  it('is read at start, and a bad entry stops the start naming the file, index and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cards-'));
    try {
      writeFileSync(join(dir, 'cards.json'), JSON.stringify([card]));
      const running = await startSandbox({ dataDir: dir });
      expect((await running.get('/_sim/cards')).find((c: { number: string }) => c.number === card.number).source).toBe('config');
      await running.close();
      writeFileSync(join(dir, 'cards.json'), JSON.stringify([card, { ...card, phone: 'x' }]));
      await expect(startSandbox({ dataDir: dir })).rejects.toThrow(/cards\.json\[1\]: phone/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

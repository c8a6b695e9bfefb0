import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../../renderer/i18n/en';
import { zhCN } from '../../renderer/i18n/zh-CN';
import { ErrorCode } from '../../preload/contract';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : keys(v as object, `${prefix}${k}.`),
  );
}

test('zh-CN and en catalogues have exactly the same keys and no empty strings', () => {
  assert.deepEqual(keys(zhCN).sort(), keys(en).sort());
  for (const [name, cat] of [
    ['en', en],
    ['zh-CN', zhCN],
  ] as const) {
    for (const k of keys(cat)) {
      const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], cat);
      assert.ok(typeof v === 'string' && v.length > 0, `${name}:${k} is empty`);
    }
  }
});

test('every error code has a translation', () => {
  for (const code of ErrorCode.options) {
    assert.ok(en.error[code], `en error.${code}`);
    assert.ok(zhCN.error[code], `zh-CN error.${code}`);
  }
});

test('every validation key used by the contract has a translation', async () => {
  const fs = await import('node:fs');
  const dir = new URL('../../preload/contract/', import.meta.url);
  const src = fs
    .readdirSync(dir)
    .map((f) => fs.readFileSync(new URL(f, dir), 'utf8'))
    .join('\n');
  const used = [...src.matchAll(/'(validation\.[A-Za-z]+)'/g)].map((m) => m[1]!);
  assert.ok(used.length > 5);
  for (const key of used) {
    const sub = key.split('.')[1] as keyof typeof en.validation;
    assert.ok(en.validation[sub], `en ${key}`);
    assert.ok(zhCN.validation[sub], `zh-CN ${key}`);
  }
});

test('the UI follows the system language until one is chosen: zh-CN for Chinese systems, English for any other', async () => {
  const { resolveLanguage } = await import('../../renderer/i18n');
  assert.equal(resolveLanguage('system', ['en-US', 'zh-CN']), 'en');
  assert.equal(resolveLanguage('system', ['zh-TW']), 'zh-CN');
  assert.equal(resolveLanguage('system', ['zh']), 'zh-CN');
  assert.equal(resolveLanguage('system', ['fr-FR']), 'en');
  assert.equal(resolveLanguage('system', []), 'en');
  assert.equal(resolveLanguage('zh-CN', ['en-US']), 'zh-CN', 'a choice wins');
  assert.equal(resolveLanguage('en', ['zh-CN']), 'en');
});

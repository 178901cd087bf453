// Every UI text exists in both languages, and no control on the page shows a raw text key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, parseTomlStrings, launch, open } from './helpers.mjs';

const load = (lang) => parseTomlStrings(readFileSync(path.join(ROOT, 'static', 'i18n', `${lang}.toml`), 'utf8'));
const keys = (tables) => Object.entries(tables).flatMap(([t, kv]) => Object.keys(kv).map((k) => `${t}.${k}`)).sort();

test('en and zh have the same text keys', () => {
  const [en, zh] = [keys(load('en')), keys(load('zh'))];
  assert.ok(en.length > 200, `only ${en.length} keys in en.toml`);
  assert.deepEqual(en.filter((k) => !zh.includes(k)), [], 'keys missing from zh.toml');
  assert.deepEqual(zh.filter((k) => !en.includes(k)), [], 'keys missing from en.toml');
});

for (const lang of ['en', 'zh']) {
  test(`every control has a real label and help text (${lang})`, async () => {
    const session = await launch();
    try {
      await open(session.page, `lang=${lang}`);
      const controls = await session.page.$$eval('.control', (els) =>
        els.map((el) => ({ label: el.querySelector('label')?.textContent ?? '', help: el.getAttribute('title') ?? '' })),
      );
      assert.ok(controls.length >= 40, `${controls.length} controls`);
      for (const c of controls) {
        assert.ok(c.label && !c.label.startsWith('knobs.'), `raw label: ${JSON.stringify(c)}`);
        assert.ok(c.help && !c.help.startsWith('knobs.'), `raw help: ${JSON.stringify(c)}`);
      }
      if (lang === 'zh') assert.ok(controls.some((c) => /[\u4e00-\u9fff]/.test(c.label)), 'zh labels are Chinese');
    } finally {
      await session.close();
    }
  });
}

test('notices about a bad link are in the page language (zh)', async () => {
  const session = await launch();
  try {
    await open(session.page, 'lang=zh&backend=cpu&lr=abc&colour=blue&dropout=2&hidden=4,x');
    const s = await session.page.evaluate(() => JSON.parse(JSON.stringify(window.losslab.state())));
    assert.ok(s.notices.length >= 4, `notices: ${s.notices}`);
    for (const n of s.notices) {
      assert.match(n, /[\u4e00-\u9fff]/, `a Chinese notice: ${n}`);
      assert.doesNotMatch(n, /ignored|not valid|expected|must be|using/, `no English left: ${n}`);
    }
    assert.ok(s.notices.some((n) => n.includes('colour')), 'the notice names the key');
  } finally {
    await session.close();
  }
});

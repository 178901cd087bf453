// Screenshots to look at, as a learner: CPU page with a pinned run, gpu.html with and without
// WebGPU, and the remedy panel reached by Tab alone in 简体中文 on a 390 px phone.
// Usage (site served): LOSSLAB_URL=http://127.0.0.1:8765/ node tests/bench/lookaround.mjs
import { byTestId, gpuPage, launch, open, screenshot, setControl, state, waitForState, STOPPED } from '../e2e/helpers.mjs';

async function twoRuns(page, base) {
  await open(page, 'max_steps=400', base ? { base } : {});
  await byTestId(page, 'play').click();
  await waitForState(page, (x) => STOPPED.includes(x.status), { timeoutMs: 240_000 });
  await byTestId(page, 'pin').click();
  await setControl(page, 'lr', '0.03');
  await byTestId(page, 'play').click();
  const s = await waitForState(page, (x) => STOPPED.includes(x.status) && x.step >= 400, { timeoutMs: 240_000 });
  await byTestId(page, 'chart-loss').scrollIntoViewIfNeeded();
  return s;
}

for (const webgpu of [false, true]) {
  const sess = await launch({ webgpu, viewport: { width: 1280, height: 1300 } });
  try {
    let s = await twoRuns(sess.page);
    console.log('cpu page', webgpu, s.backend, await screenshot(sess.page, `look-cpu${webgpu ? '-flag' : ''}`));
    s = await twoRuns(sess.page, gpuPage());
    console.log('gpu page', webgpu, s.backend, JSON.stringify(s.notices), await screenshot(sess.page, `look-gpu${webgpu ? '-webgpu' : '-fallback'}`));
  } finally {
    await sess.close();
  }
}

const sess = await launch({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
const { page } = sess;
try {
  await open(page, 'lr=1&max_steps=800&lang=zh');
  await page.keyboard.press('Space');
  await waitForState(page, (x) => STOPPED.includes(x.status), { timeoutMs: 120_000 });
  await page.waitForSelector('[data-testid="finding-remedy"]');
  let presses = 0;
  for (; presses < 300; presses++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.dataset?.testid === 'finding-remedy')) break;
  }
  const label = await page.evaluate(() => document.activeElement?.innerText);
  await page.evaluate(() => document.activeElement.scrollIntoView({ block: 'center' }));
  console.log('tabs to the remedy', presses + 1, label, await screenshot(page, 'look-zh-390-remedy'));
  await page.keyboard.press('Enter');
  const s = await waitForState(page, (x) => x.trial?.gone === true || x.trial?.gone === false, { timeoutMs: 120_000 });
  await page.evaluate(() => document.querySelector('[data-testid="remedy-verdict"]').scrollIntoView({ block: 'start' }));
  const verdict = await page.evaluate(() => document.querySelector('[data-testid="remedy-verdict"]').innerText);
  console.log('verdict', s.trial.gone, verdict, await screenshot(page, 'look-zh-390-verdict'));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  console.log('horizontal overflow px', overflow);
} finally {
  await sess.close();
}

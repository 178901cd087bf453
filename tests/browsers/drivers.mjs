// Firefox and WebKit for LossLab's cross-browser suites, behind one small interface so that one
// suite (suite.mjs) drives both:
//   Firefox: Debian's firefox-esr through puppeteer-core over WebDriver BiDi (no driver download).
//   WebKit:  Debian's WebKitGTK MiniBrowser (Safari's engine family) through its WebDriver
//            (WebKitWebDriver, package webkit2gtk-driver) and selenium-webdriver, on a private
//            Xvfb display (MiniBrowser has no headless mode).
//
// A driver has: name, version, goto(url), eval(fn, ...args) (fn runs in the page; async is
// awaited), click(css), upload(css, path), inFrame(css, fn, ...args) (fn runs inside that
// <iframe>), scrollTo(css), download(name) (waits for a downloaded file, returns its bytes),
// screenshot(path), errors() (the current page's console errors, uncaught exceptions and requests
// to other hosts, as lines; in WebKit only those after it loaded) and close().
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const FIREFOX = process.env.LOSSLAB_FIREFOX || '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = process.env.LOSSLAB_WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.LOSSLAB_MINIBROWSER || findMiniBrowser();

const VIEWPORT = { width: 1280, height: 800 };

function findMiniBrowser() {
  for (const dir of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib']) {
    for (const api of ['webkit2gtk-4.1', 'webkit2gtk-4.0', 'webkitgtk-6.0']) {
      const p = path.join(dir, api, 'MiniBrowser');
      if (existsSync(p)) return p;
    }
  }
  return '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
}

/** Polls `fn` until it returns something other than undefined/false; throws `what` on timeout. */
async function until(fn, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(150);
  }
}

/**
 * A downloaded file named `name` in `dir` once complete: no partial file beside it (Firefox's
 * `*.part`) and the same size on two polls in a row. Returns its bytes and deletes it.
 */
function waitDownload(dir, name, timeoutMs) {
  // A browser numbers a repeated name ("x(1).csv"): take the newest matching one.
  const stem = name.replace(/\.[^.]+$/, '');
  const ext = name.slice(stem.length);
  let lastSize = -1;
  return until(
    () => {
      const files = readdirSync(dir);
      if (files.some((f) => /\.(part|download|wkdownload)$/.test(f))) return undefined;
      const hits = files.filter((f) => f === name || (f.startsWith(stem) && f.endsWith(ext)));
      if (!hits.length) return undefined;
      const newest = hits.map((f) => path.join(dir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
      const size = statSync(newest).size;
      if (size === 0 || size !== lastSize) {
        lastSize = size;
        return undefined;
      }
      const bytes = readFileSync(newest);
      rmSync(newest); // the next export of the same name is then unambiguous
      return bytes;
    },
    `the download ${name} in ${dir}`,
    timeoutMs,
  );
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Firefox (puppeteer-core, WebDriver BiDi)

export async function launchFirefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const downloads = mkdtempSync(path.join(os.tmpdir(), 'losslab-firefox-dl-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    defaultViewport: VIEWPORT,
    timeout: 60_000,
    protocolTimeout: 120_000,
    extraPrefsFirefox: {
      // Downloads go to a folder of ours, without asking (puppeteer's BiDi download behaviour
      // does not reach Firefox ESR's download manager).
      'browser.download.dir': downloads,
      'browser.download.folderList': 2,
      'browser.download.useDownloadDir': true,
      'browser.download.always_ask_before_handling_new_types': false,
      'browser.download.start_downloads_in_tmp_dir': false,
      // Nothing may reach the internet: every request but loopback goes to a closed proxy.
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': 9,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': 9,
      'network.proxy.no_proxies_on': 'localhost, 127.0.0.1',
      'network.proxy.allow_hijacking_localhost': false,
    },
  });
  const page = (await browser.pages())[0] ?? (await browser.newPage());
  const errors = [];
  const external = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e?.message ?? e}`));
  page.on('request', (r) => {
    const u = r.url();
    if (/^https?:/.test(u) && !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u)) external.push(u);
  });
  const frameOf = async (css) => {
    const handle = await page.waitForSelector(css, { timeout: 30_000 });
    return until(() => handle.contentFrame(), `the frame of ${css}`);
  };
  return {
    name: 'Firefox',
    version: await browser.version(),
    goto: async (url) => {
      errors.length = 0;
      external.length = 0;
      await page.goto(url, { waitUntil: 'load', timeout: 90_000 });
    },
    eval: (fn, ...args) => page.evaluate(fn, ...args),
    click: (css) => page.locator(css).setTimeout(30_000).click(),
    upload: async (css, file) => {
      const input = await page.waitForSelector(css, { timeout: 30_000 });
      await input.uploadFile(file);
    },
    inFrame: async (css, fn, ...args) => (await frameOf(css)).evaluate(fn, ...args),
    scrollTo: (css) => page.evaluate((c) => document.querySelector(c).scrollIntoView({ block: 'center' }), css),
    download: (name, timeoutMs = 20_000) => waitDownload(downloads, name, timeoutMs),
    screenshot: (file) => page.screenshot({ path: file }),
    errors: async () => [...errors, ...external.map((u) => `external request: ${u}`)],
    close: async () => {
      await browser.close().catch(() => {});
      rmSync(downloads, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// WebKit (WebKitGTK MiniBrowser, WebKitWebDriver, selenium-webdriver, Xvfb)

/** Starts Xvfb on a free display; resolves to { display: ':N', proc }. */
function startXvfb() {
  return new Promise((resolve, reject) => {
    // -displayfd: Xvfb picks a free display and writes its number to fd 3.
    const proc = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stderr.on('data', (d) => (err += d));
    proc.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve({ display: `:${out.trim()}`, proc });
    });
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${err.trim()}`)));
  });
}

export async function launchWebKit() {
  const { Builder, By } = await import('selenium-webdriver');
  // A private HOME: a fresh profile each run, and MiniBrowser saves downloads there.
  const home = mkdtempSync(path.join(os.tmpdir(), 'losslab-webkit-'));
  const xvfb = await startXvfb();
  const port = await freePort();
  const driverProc = spawn(WEBKIT_DRIVER, [`--port=${port}`], {
    env: { ...process.env, DISPLAY: xvfb.display, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
    stdio: 'ignore',
  });
  const stop = () => {
    driverProc.kill();
    xvfb.proc.kill();
    rmSync(home, { recursive: true, force: true });
  };
  let driver;
  try {
    await until(
      () =>
        new Promise((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
          s.on('error', () => resolve(false));
        }),
      'WebKitWebDriver to listen',
    );
    driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}`)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      })
      .build();
    await driver.manage().window().setRect({ x: 0, y: 0, ...VIEWPORT });
    await driver.manage().setTimeouts({ script: 120_000, pageLoad: 90_000 });
  } catch (e) {
    stop();
    throw e;
  }
  const version = (await driver.getCapabilities()).get('browserVersion');
  const find = (css) => until(async () => (await driver.findElements(By.css(css)))[0], `the element ${css}`, 30_000);
  // selenium-webdriver wraps a function as `return (fn).apply(null, arguments)`; WebDriver
  // awaits a returned promise.
  const evalIn = (fn, ...args) => driver.executeScript(fn, ...args);
  // WebDriver classic cannot listen to the console: after each navigation the page collects its
  // own console errors and uncaught exceptions (those while it loads go unseen).
  const collect = () => {
    if (window.__losslabErrors) return;
    const seen = (window.__losslabErrors = []);
    const error = console.error.bind(console);
    console.error = (...args) => (seen.push(`console.error: ${args.join(' ')}`), error(...args));
    addEventListener('error', (e) => seen.push(`page error: ${e.message}`));
    addEventListener('unhandledrejection', (e) => seen.push(`page error: ${e.reason}`));
  };
  return {
    name: 'WebKit',
    version: `WebKitGTK ${version}`,
    goto: async (url) => {
      await driver.get(url);
      await evalIn(collect);
    },
    eval: evalIn,
    click: async (css) => {
      const el = await find(css);
      await driver.executeScript((e) => e.scrollIntoView({ block: 'center' }), el);
      await el.click();
    },
    upload: async (css, file) => {
      await (await find(css)).sendKeys(file);
    },
    inFrame: async (css, fn, ...args) => {
      await driver.switchTo().frame(await find(css));
      try {
        return await evalIn(fn, ...args);
      } finally {
        await driver.switchTo().defaultContent();
      }
    },
    scrollTo: (css) => evalIn((c) => document.querySelector(c).scrollIntoView({ block: 'center' }), css),
    download: (name, timeoutMs = 20_000) => waitDownload(home, name, timeoutMs),
    screenshot: async (file) => writeFileSync(file, await driver.takeScreenshot(), 'base64'),
    errors: async () => (await evalIn(() => window.__losslabErrors ?? []).catch(() => [])) ?? [],
    close: async () => {
      await driver.quit().catch(() => {});
      stop();
    },
  };
}

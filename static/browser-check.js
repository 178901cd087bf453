// LossLab's browser check. A classic script that runs before Trunk's module loader: it checks
// what the app needs (ES modules, WebAssembly with SIMD128 and reference types) and, when something
// is missing, shows which browsers work instead of leaving the page blank (a browser without
// modules skips the loader; one without SIMD fails to compile the app's wasm).
// ES5 on purpose, so that old browsers can parse it; its texts live here, not in i18n/, because it
// must work where fetch or the app cannot. Keep the versions in step with README's "Browsers".
(function () {
  'use strict';

  // The smallest module using each feature; WebAssembly.validate compiles nothing.
  // SIMD128: a function returning i8x16.popcnt(i8x16.splat(0)).
  var SIMD = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11];
  // Reference types: a function taking an externref (wasm-bindgen's externref table needs them).
  var REFS = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 1, 111, 0, 3, 2, 1, 0, 10, 4, 1, 2, 0, 11];

  function validates(bytes) {
    try {
      return WebAssembly.validate(new Uint8Array(bytes)) === true;
    } catch (e) {
      return false;
    }
  }

  var missing = [];
  if (!('noModule' in document.createElement('script'))) missing.push('modules');
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') {
    missing.push('wasm');
  } else {
    if (!validates(SIMD)) missing.push('simd');
    if (!validates(REFS)) missing.push('refs');
  }
  if (!missing.length) return;

  var TEXTS = {
    en: {
      title: 'LossLab cannot run in this browser',
      body:
        'It needs a newer browser: Chrome or Edge 97 or newer, Firefox 89 or newer, or Safari 16.4 or newer. ' +
        'On an iPhone or iPad every browser uses Safari’s engine: update iOS or iPadOS to 16.4 or newer. ' +
        'Please update this browser, or open this page in one of those.',
      missing: 'Missing in this browser: ',
      features: {
        modules: 'JavaScript modules',
        wasm: 'WebAssembly',
        simd: 'WebAssembly SIMD',
        refs: 'WebAssembly reference types',
      },
      sep: ', ',
      end: '.',
    },
    zh: {
      title: 'LossLab 无法在此浏览器中运行',
      body:
        '它需要较新的浏览器：Chrome 或 Edge 97 及以上、Firefox 89 及以上，或 Safari 16.4 及以上。' +
        '在 iPhone 和 iPad 上，所有浏览器都使用 Safari 的引擎：请将 iOS 或 iPadOS 更新到 16.4 或更高版本。' +
        '请更新此浏览器，或用上述浏览器之一打开本页。',
      missing: '此浏览器缺少：',
      features: {
        modules: 'JavaScript 模块',
        wasm: 'WebAssembly',
        simd: 'WebAssembly SIMD',
        refs: 'WebAssembly 引用类型',
      },
      sep: '、',
      end: '。',
    },
  };

  // The page's language as the app picks it (app/src/actions/lang.rs): `lang=` in the query if
  // it names a known language, else Chinese when the browser's language is, else English.
  function pageLang() {
    var query = location.search.replace(/^\?/, '').split('&');
    for (var i = 0; i < query.length; i++) {
      var kv = query[i].split('=');
      if (kv[0] === 'lang' && kv.length > 1) {
        if (TEXTS[kv[1]]) return kv[1];
        break; // the first lang= decides, as in the app
      }
    }
    var nav = navigator.language || navigator.userLanguage || '';
    return nav.indexOf('zh') === 0 ? 'zh' : 'en';
  }

  function show() {
    var lang = pageLang();
    var t = TEXTS[lang];
    var names = [];
    for (var i = 0; i < missing.length; i++) names.push(t.features[missing[i]]);

    var box = document.createElement('div');
    box.setAttribute('role', 'alert');
    box.setAttribute('data-testid', 'browser-too-old');
    box.setAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
    // Styled through the CSSOM (the Content-Security-Policy allows no inline style sheet).
    box.style.cssText =
      'max-width:40em;margin:2em auto;padding:1em 1.5em;border:2px solid #b3261e;border-radius:8px;' +
      'background:#fff;color:#1b1b1f;font:16px/1.5 system-ui,sans-serif';
    var h = document.createElement('h1');
    h.style.cssText = 'font-size:1.4em;margin:0 0 .5em';
    h.appendChild(document.createTextNode(t.title));
    var p = document.createElement('p');
    p.appendChild(document.createTextNode(t.body));
    var q = document.createElement('p');
    q.style.cssText = 'color:#555;font-size:.9em';
    q.appendChild(document.createTextNode(t.missing + names.join(t.sep) + t.end));
    box.appendChild(h);
    box.appendChild(p);
    box.appendChild(q);
    document.body.insertBefore(box, document.body.firstChild);
    document.documentElement.setAttribute('lang', lang === 'zh' ? 'zh-CN' : 'en');
  }

  // This script runs in <head>: the message goes into <body> once the page is parsed.
  if (document.body) show();
  else document.addEventListener('DOMContentLoaded', show);
})();

// LossLab's service worker: after one visit the site works with the network gone.
// scripts/sw.py prepends VERSION (a hash of the build) and FILES (every file of the build,
// relative to this worker) and writes the result as sw.js next to index.html.
//
// - install: every file of the build goes into the cache `losslab:<scope path>:<VERSION>`.
// - activate: older LossLab caches of this scope are deleted (a new build replaces the old one;
//   other copies of LossLab under other sub-paths of the same server keep theirs).
// - fetch: navigations to the page (any query string) get the cached index.html (gpu.html:
//   the WebGPU build, cached on first use like its app, listed in LAZY); the build's
//   files (wasm, js, css, data) come from the cache, else the network; lessons/ and i18n/ come
//   from the network first (an edited or added lesson shows up while online), else the cache.
//   Anything else is left to the browser.
/* global VERSION, FILES, LAZY */
'use strict';

const SCOPE = new URL(self.registration.scope);
const PREFIX = `losslab:${SCOPE.pathname}:`;
const CACHE = PREFIX + VERSION;
/** Folders read network-first: teachers may edit or add files there without rebuilding. */
const FRESH = ['lessons/', 'i18n/'];
/** How long a network-first request may take before a cached copy is used instead. */
const NETWORK_TIMEOUT_MS = 4000;
/** Build files, as paths relative to the scope ('' is the scope itself). */
const PRECACHED = new Set(FILES.map((f) => (f === './' ? '' : decodeURI(f))));
/** The WebGPU build (gpu.html and its app): cached on first use, not at install. */
const ON_USE = new Set(LAZY.map(decodeURI));

const abs = (rel) => new URL(rel, SCOPE).href;

/** A response fit for any request: a redirected one is copied (navigations refuse them). */
async function clean(res) {
  if (!res.redirected) return res;
  return new Response(await res.blob(), { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** Fetches a build file, revalidating with the server (an unchanged file costs a 304). */
async function fetchFile(rel) {
  const res = await fetch(new Request(abs(rel), { cache: 'no-cache' }));
  if (!res.ok) throw new Error(`LossLab offline cache: ${rel}: HTTP ${res.status}`);
  return clean(res);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        // The page under both names ('./' need not be answered by every server).
        const index = await fetchFile('index.html');
        await cache.put(abs('./'), index.clone());
        await cache.put(abs('index.html'), index);
        const rest = FILES.filter((f) => f !== './' && f !== 'index.html');
        await Promise.all(rest.map(async (f) => cache.put(abs(f), await fetchFile(f))));
      } catch (e) {
        await caches.delete(CACHE); // a half-filled cache is never used
        throw e;
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const old = (await caches.keys()).filter((k) => k.startsWith(PREFIX) && k !== CACHE);
      await Promise.all(old.map((k) => caches.delete(k)));
      await self.clients.claim();
    })(),
  );
});

async function cacheFirst(request, key) {
  const hit = await (await caches.open(CACHE)).match(key);
  return hit || fetch(request);
}

/** Cache-first for the WebGPU build's files, filling the cache from the first fetch. */
async function cacheOnUse(request, key) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  const res = await clean(await fetch(request));
  if (res.ok) await cache.put(key, res.clone()).catch(() => {}); // e.g. over quota
  return res;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const network = fetch(new Request(request, { cache: 'no-cache' })).then(async (res) => {
    if (res.ok) await cache.put(request, res.clone()).catch(() => {}); // e.g. over quota
    return res;
  });
  network.catch(() => {}); // when a cached copy answered, a failure later is no error
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve('late'), NETWORK_TIMEOUT_MS);
  });
  try {
    const res = await Promise.race([network, late]);
    if (res !== 'late' && res.ok) return res;
    // Too slow or an error status: a cached copy if there is one, else wait for the network.
    const hit = await cache.match(request);
    if (hit) return hit;
    return await network;
  } catch (e) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  const rel = decodeURI(url.pathname.slice(SCOPE.pathname.length));
  if (request.mode === 'navigate') {
    if (rel === '' || rel === 'index.html') event.respondWith(cacheFirst(request, abs('index.html')));
    else if (ON_USE.has(rel)) event.respondWith(cacheOnUse(new Request(abs(rel)), abs(rel)));
    return;
  }
  if (url.search) return; // the app asks for no build file with a query
  if (FRESH.some((dir) => rel.startsWith(dir))) {
    event.respondWith(networkFirst(request));
  } else if (PRECACHED.has(rel)) {
    event.respondWith(cacheFirst(request, abs(rel)));
  } else if (ON_USE.has(rel)) {
    event.respondWith(cacheOnUse(request, abs(rel)));
  }
});

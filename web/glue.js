// The page around the canvas: loading with progress, the font, paste and copy, IME input, the
// aria-live region, downloads, waking the paused program on input, and window.dypls for tests.
// No inline script (CSP-friendly).
'use strict';
(function () {
  const canvas = document.getElementById('canvas');
  const ime = document.getElementById('ime');
  const live = document.getElementById('live');
  const liveFocus = document.getElementById('live-focus');
  const loading = document.getElementById('loading');
  const fill = document.getElementById('loading-fill');
  const loadingText = document.getElementById('loading-text');

  function fatal(kind, detail) {
    const box = document.getElementById('fatal');
    const messages = {
      webgl2: 'This console needs WebGL2, which this browser does not offer (or has turned off). ' +
        'Use a current Chrome, Edge, Firefox or Safari, and check that hardware acceleration is on.' +
        '<br>本控制台需要 WebGL2，但此浏览器不支持或已关闭。请使用新版 Chrome、Edge、Firefox 或 Safari，并确认已开启硬件加速。',
      wasm: 'This console needs a newer browser: Chrome or Edge 75, Firefox 79, Safari 15 or later ' +
        '(its WebAssembly lacks bulk memory operations).' +
        '<br>本控制台需要更新的浏览器：Chrome 或 Edge 75、Firefox 79、Safari 15 或更高版本（当前浏览器的 WebAssembly 不支持批量内存操作）。',
      load: 'The console could not be loaded: reload the page. 控制台加载失败：请刷新页面。',
    };
    box.innerHTML = messages[kind] || messages.load;
    if (detail) box.appendChild(document.createTextNode(' (' + detail + ')'));
    box.hidden = false;
    loading.classList.add('done');
  }
  // The page cannot run here: says why, and keeps the program from starting at all.
  function refuseToStart(kind) {
    window.dyplsGlue = { fatal };
    fatal(kind);
    window.Module = { noInitialRun: true, canvas, instantiateWasm() { return {}; } };
  }

  // Without WebGL2 at all the program cannot start: say so before downloading it (a browser
  // that has WebGL2 but cannot make a context is found below, after the downloads began).
  if (typeof WebGL2RenderingContext === 'undefined') {
    refuseToStart('webgl2');
    return;
  }
  // The program is built with bulk memory (memory.copy/fill, see CMakeLists.txt). Browsers with
  // WebGL2 but without it (Chrome 56-74, Firefox 51-78) would fail to compile it after the
  // download and say "reload": say what is wrong instead, before downloading. The module is one
  // function doing memory.fill.
  const BULK_MEMORY_PROBE = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0,
    3, 2, 1, 0, 5, 3, 1, 0, 0, 0x0a, 0x0d, 1, 0x0b, 0, 0x41, 0, 0x41, 0, 0x41, 0, 0xfc, 0x0b, 0, 0x0b]);
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(BULK_MEMORY_PROBE)) {
    refuseToStart('wasm');
    return;
  }

  // Download progress over the two big files: the program and the font, in bytes once both
  // sizes are known. Until then a file without its size counts as not started (the bar must not
  // read 100% because the font came before the program's headers did), and the bar never moves
  // back when the second size arrives.
  const progress = { wasm: [0, 0], font: [0, 0] };  // [received, length]; length 0: not known yet
  let shownPercent = 0;
  function showProgress() {
    const slots = [progress.wasm, progress.font];
    const fraction = slots.every(([, length]) => length > 0)
      ? slots.reduce((sum, [got]) => sum + got, 0) / slots.reduce((sum, [, length]) => sum + length, 0)
      : slots.reduce((sum, [got, length]) => sum + (length > 0 ? got / length : 0), 0) / slots.length;
    const percent = Math.min(100, Math.floor(fraction * 100));  // 100 only when complete
    if (percent <= shownPercent) return;
    shownPercent = percent;
    fill.style.transform = 'scaleX(' + percent / 100 + ')';
    loading.setAttribute('aria-valuenow', String(percent));
  }
  async function download(url, slot) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
    // The reader hands decoded bytes: a compressed answer's size is its X-Decoded-Length (the
    // relay sends it); without it the file counts only once it is complete.
    const encoded = !!response.headers.get('content-encoding');
    const length = Number(response.headers.get(encoded ? 'x-decoded-length' : 'content-length')) || 0;
    if (!response.body || !length) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      progress[slot] = [bytes.length, bytes.length];
      showProgress();
      return bytes;
    }
    progress[slot] = [0, length];
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      progress[slot] = [Math.min(received, length), length];
      showProgress();
    }
    const bytes = new Uint8Array(received);
    let offset = 0;
    for (const chunk of chunks) { bytes.set(chunk, offset); offset += chunk.length; }
    return bytes;
  }
  // A dropped connection gets each file twice more, after 0.5 s and 1.5 s, before the page gives
  // up: without the program it says so; without the font it goes on in English (the built-in
  // font has no Chinese).
  function downloadPatiently(url, slot) {
    const later = (ms) => () => new Promise((resolve) => setTimeout(resolve, ms))
      .then(() => download(url, slot));
    return download(url, slot).catch(later(500)).catch(later(1500));
  }
  const wasmBytes = downloadPatiently('dypls-console.wasm', 'wasm');
  const fontBytes = downloadPatiently('dypls-font.ttf', 'font').catch(() => null);

  // The support check makes the program's own context: Emscripten's GLFW asks this canvas for
  // 'webgl2' again and gets this one back, instead of a second context (and GPU process setup)
  // on the way to the first frame. It runs after the downloads start: the main thread waits
  // for the GPU process here (30-130 ms in headless Chromium), the network does not.
  // The first request fixes the attributes, so these are the ones glfwCreateWindow asks for
  // with GLFW's default hints (library_glfw.js): 8 alpha, 24 depth and 8 stencil bits, no
  // multisampling.
  // Its drawing buffer starts at the size the program keeps it at (CSS size x devicePixelRatio,
  // main.cpp creates its window at the canvas's size), so nothing is reallocated on the way.
  canvas.width = Math.trunc(window.innerWidth * (window.devicePixelRatio || 1));
  canvas.height = Math.trunc(window.innerHeight * (window.devicePixelRatio || 1));
  if (!canvas.getContext('webgl2', { antialias: false, alpha: true, depth: true, stencil: true })) {
    refuseToStart('webgl2');
    return;
  }

  // The rest of the CJK set (server messages, pasted text), after the first frame: the first
  // frame needs only the page's own glyphs.
  function loadFontRest() {
    fetch('dypls-font-rest.ttf')
      .then((response) => (response.ok ? response.arrayBuffer() : null))
      .then((buffer) => {
        if (!buffer) return;
        const bytes = new Uint8Array(buffer);
        const ptr = Module._malloc(bytes.length);
        Module.HEAPU8.set(bytes, ptr);
        Module._dypls_add_font_rest(ptr, bytes.length);
        Module._free(ptr);
        window.dypls.fontComplete = true;
      })
      .catch(() => { /* the page's own text still shows; other CJK text shows as '?' */ });
  }

  function withString(text, fn) {
    const size = Module.lengthBytesUTF8(text) + 1;
    const ptr = Module._malloc(size);
    Module.stringToUTF8(text, ptr, size);
    try { fn(ptr); } finally { Module._free(ptr); }
  }

  let wantText = false;
  let runtimeReady = false;  // the exports below are callable only after this

  // The purchase ledger lives in localStorage: other tabs' changes arrive as storage events.
  let ledgerChanges = 0;
  window.addEventListener('storage', (event) => {
    if (event.key !== null && !event.key.startsWith('dypls.ledger')) return;
    ledgerChanges++;
    if (runtimeReady) Module._dypls_wake();  // draw, so the program reads the ledger again
  });

  // One purchase at a time across this profile's tabs: navigator.locks where it exists, else a
  // lease in localStorage that the holder renews and that expires when a closed tab stops.
  const tabId = Date.now().toString(36) + '-' + Math.random().toString(36).slice(2);
  const LEASE_MS = 15000;
  const locks = new Map();  // name -> { held, release, abort, renew }
  const useWebLocks = !!(navigator.locks && navigator.locks.request) &&
    new URLSearchParams(location.search).get('lock') !== 'lease';  // ?lock=lease: the fallback
  function leaseKey(name) { return 'dypls.lease:' + name; }
  function takeLease(name) {
    try {
      const now = Date.now();
      const current = JSON.parse(localStorage.getItem(leaseKey(name)) || 'null');
      if (current && current.owner !== tabId && current.until > now) return false;
      localStorage.setItem(leaseKey(name), JSON.stringify({ owner: tabId, until: now + LEASE_MS }));
      const after = JSON.parse(localStorage.getItem(leaseKey(name)) || 'null');
      return !!after && after.owner === tabId;
    } catch (e) {
      return false;
    }
  }
  // 1: this tab holds the lock; 0: asked for, no answer yet; 2: another tab holds it.
  // navigator.locks grants asynchronously, so its first answer is always 0; whether another tab
  // holds the lock is then read from a query (lockPeek), so that a tab alone is never told it
  // waits behind another.
  const LOCK_HELD = 1;
  const LOCK_ASKED = 0;
  const LOCK_HELD_ELSEWHERE = 2;
  function lockAcquire(name) {
    let entry = locks.get(name);
    if (entry && entry.held) return LOCK_HELD;
    if (useWebLocks) {
      if (entry) {  // still waiting for the browser to grant it
        const seen = lockPeek(name);
        return seen && seen['heldElsewhere'] ? LOCK_HELD_ELSEWHERE : LOCK_ASKED;
      }
      entry = { held: false, release: null, abort: new AbortController() };
      locks.set(name, entry);
      navigator.locks.request(name, { signal: entry.abort.signal }, () => new Promise((resolve) => {
        entry.held = true;
        entry.release = resolve;
        if (runtimeReady) Module._dypls_wake();  // the run goes on at the next frame
      })).catch(() => {});
      lockPeek(name);  // asks who holds it, for the next call
      return LOCK_ASKED;  // granted (if free) before the next frame asks again
    }
    if (!takeLease(name)) {
      locks.set(name, { held: false });
      return LOCK_HELD_ELSEWHERE;
    }
    entry = { held: true, renew: setInterval(() => takeLease(name), LEASE_MS / 3) };
    locks.set(name, entry);
    return LOCK_HELD;
  }
  function lockRelease(name) {
    const entry = locks.get(name);
    locks.delete(name);
    if (!entry) return;
    if (useWebLocks) {
      if (entry.held && entry.release) entry.release(); else if (entry.abort) entry.abort.abort();
      return;
    }
    if (entry.renew) clearInterval(entry.renew);
    try {
      const current = JSON.parse(localStorage.getItem(leaseKey(name)) || 'null');
      if (current && current.owner === tabId) localStorage.removeItem(leaseKey(name));
    } catch (e) { /* nothing more to do */ }
  }

  // What this tab sees of a lock without asking for it: held by another tab or free, and since
  // when (Date.now()) it has been seen so. navigator.locks answers later: the last answer is
  // given and a new query sent; a change wakes the program so it looks again.
  const sightings = new Map();  // name -> { heldElsewhere, since, querying }
  function noteSighting(name, heldElsewhere, wakeOnChange) {
    const seen = sightings.get(name);
    if (seen && seen.heldElsewhere === heldElsewhere) return;
    sightings.set(name, { heldElsewhere, since: Date.now(), querying: seen ? seen.querying : false });
    if (wakeOnChange && runtimeReady) Module._dypls_wake();
  }
  function lockPeek(name) {
    if (!useWebLocks) {
      try {
        const current = JSON.parse(localStorage.getItem(leaseKey(name)) || 'null');
        noteSighting(name, !!current && current.owner !== tabId && current.until > Date.now(), false);
      } catch (e) {
        return null;
      }
    } else {
      const seen = sightings.get(name);
      if (!seen || !seen.querying) {
        if (seen) seen.querying = true; else sightings.set(name, { querying: true, since: 0 });
        navigator.locks.query().then((snapshot) => {
          const mine = locks.get(name);
          const held = snapshot.held.some((l) => l.name === name) && !(mine && mine.held);
          noteSighting(name, held, true);
        }).catch(() => {}).finally(() => {
          const after = sightings.get(name);
          if (after) after.querying = false;
        });
      }
    }
    const seen = sightings.get(name);
    if (!seen || seen.heldElsewhere === undefined) return null;
    return { 'heldElsewhere': seen.heldElsewhere, 'since': seen.since };
  }

  // Leaving while a purchase is in flight or its outcome is unknown: the browser asks first.
  let leaveWarning = false;
  window.addEventListener('beforeunload', (event) => {
    if (!leaveWarning) return undefined;
    event.preventDefault();
    event.returnValue = '';
    return '';
  });

  window.dyplsGlue = {
    fatal,
    storageChanges: () => ledgerChanges,
    lockAcquire,
    lockRelease,
    lockPeek,
    leaveWarning(on) {
      leaveWarning = on;
      window.dypls.leaveWarning = on;
    },
    ready() {
      loading.classList.add('done');
      canvas.classList.add('drawn');
      window.dypls.firstFrameAt = performance.now();
      loadFontRest();
    },
    announce(text) { live.textContent = text; },
    announceFocus(text) { liveFocus.textContent = text; },
    // The clipboard's text for the clipboard button, read in the handler of the user's press
    // (browsers allow a read only then); handed over as credentials, or why it could not be.
    readClipboard() {
      const unreadable = (empty) => { if (runtimeReady) Module._dypls_clipboard_unreadable(empty ? 1 : 0); };
      if (!navigator.clipboard || !navigator.clipboard.readText) { unreadable(false); return; }
      navigator.clipboard.readText().then((text) => {
        if (!text.trim()) { unreadable(true); return; }
        if (runtimeReady) withString(text, (ptr) => Module._dypls_paste_credentials(ptr));
      }, () => unreadable(false));
    },
    copy(text) {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).catch(() => legacyCopy(text));
      } else {
        legacyCopy(text);
      }
      window.dypls.lastCopied = text.length;  // how much, never what: it may be signed
    },
    download(name, mime, bytes) {
      const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
    // The hidden textarea goes where the active field's caret is drawn (CSS pixels), kept
    // inside the window: a phone scrolls it, and so the field, clear of its keyboard, and an
    // IME puts its candidates beside it.
    placeTextInput(x, y, height) {
      const h = Math.max(1, Math.round(height));
      ime.style.left = `${Math.min(Math.max(0, Math.round(x)), window.innerWidth - 1)}px`;
      ime.style.top = `${Math.min(Math.max(0, Math.round(y)), window.innerHeight - h)}px`;
      ime.style.height = `${h}px`;
    },
    // While an ImGui text field is active, the hidden textarea holds focus to receive IME text.
    textInput(active) {
      wantText = active;
      if (active) {
        ime.value = '';
        ime.focus({ preventScroll: true });
      } else if (document.activeElement === ime) {
        ime.blur();
      }
    },
  };

  function legacyCopy(text) {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } catch (e) { /* nothing more to try */ }
    area.remove();
    if (wantText) ime.focus({ preventScroll: true });
  }

  // Clicking the canvas takes focus from the textarea (at the press); give it back if a field
  // is still active. What a browser allows only while it handles the user's press is done in
  // this handler (dypls_released_at): a release on a text field takes text input at once (a
  // phone opens its keyboard only for a focus made then; iOS ignores the one the next frame
  // would make), and a click on the clipboard button or a Copy button reads or writes the
  // clipboard. Not at the press, whose default moves focus to the canvas. Enter and Space press
  // the focused button: the same for those buttons, in their keydown.
  let pressedAt = { x: 0, y: 0 };
  canvas.addEventListener('mousedown', (event) => { pressedAt = { x: event.clientX, y: event.clientY }; });
  canvas.addEventListener('mouseup', (event) => {
    if (runtimeReady) Module._dypls_released_at(pressedAt.x, pressedAt.y, event.clientX, event.clientY);
    if (wantText) ime.focus({ preventScroll: true });
    setTimeout(() => { if (wantText) ime.focus({ preventScroll: true }); }, 0);
  });

  // Text reaches the program three ways. A hardware key's character comes as keypress, which
  // GLFW reads (its input event, which follows, is then not forwarded again). A composition
  // (pinyin) comes whole at compositionend. A phone's keyboard sends no keypress for most of
  // what it types (Android's send keyCode 229): a digit, a symbol or a clipboard suggestion
  // arrives only as the textarea's input event, forwarded here. Composition's own input events
  // (before compositionend in Chrome, after it in Firefox) are the composition's, never
  // forwarded. The textarea is emptied after each: the program holds the text.
  const FORWARDED_INPUT = new Set(['insertText', 'insertFromPaste', 'insertFromDrop']);
  let keypressText = null;  // what the last keypress typed, while its input event is due
  window.addEventListener('keydown', (event) => {
    keypressText = null;
    if ((event.key === 'Enter' || event.key === ' ') && !event.repeat && runtimeReady) {
      Module._dypls_activation_key();
    }
  }, true);
  window.addEventListener('keypress', (event) => {
    keypressText = event.charCode ? String.fromCodePoint(event.charCode) : null;
  }, true);
  ime.addEventListener('compositionend', (event) => {
    if (event.data) withString(event.data, (ptr) => Module._dypls_ime_commit(ptr));
    ime.value = '';
  });
  ime.addEventListener('input', (event) => {
    if (event.isComposing) return;
    const typedByKeypress = keypressText;
    keypressText = null;
    if (runtimeReady && event.data && event.data !== typedByKeypress &&
        FORWARDED_INPUT.has(event.inputType)) {
      withString(event.data, (ptr) => Module._dypls_ime_commit(ptr));
    }
    ime.value = '';
  });

  // Paste: the DOM event carries the text (GLFW's clipboard does not reach the browser's).
  document.addEventListener('paste', (event) => {
    const text = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
    event.preventDefault();
    if (text && runtimeReady) withString(text, (ptr) => Module._dypls_paste(ptr));
  });

  // A finger dragged over the canvas scrolls what is under it (src/console/touch_pan.h); a tap
  // stays a tap. A touch becomes a drag once it has moved PAN_SLOP CSS pixels, held to one axis
  // when it leans clearly that way (a swipe down a table does not drift sideways). On lifting,
  // the last speed carries on and slows, as a phone's own lists do. The slop is the browser's
  // own for a tap (about 15 px): a touch that moved less is a tap, and clicks where it lifted;
  // one that moved more is a drag, of which the browser makes no mouse events. The canvas's
  // touch-action (style.css) leaves one-finger drags to the page.
  const PAN_SLOP = 16;
  const FLING_DECAY_PER_MS = 0.997;  // speed halves in about 230 ms
  const FLING_STOP = 0.02;           // px/ms: below this the fling ends
  let touch = null;  // the one finger being followed: where it started, where it was last, speed
  let fling = 0;     // the fling's animation frame, or 0
  const pan = (x, y, dx, dy) => { if (runtimeReady) Module._dypls_touch_pan(x, y, dx, dy); };
  const stopFling = () => { if (fling) cancelAnimationFrame(fling); fling = 0; };
  const onCanvas = (event) => event.target === canvas;
  const followed = (event) => [...event.touches].find((t) => t.identifier === touch.id);
  window.addEventListener('touchstart', (event) => {
    if (!onCanvas(event)) return;
    stopFling();
    const t = event.touches[0];
    touch = event.touches.length !== 1 ? null : {
      id: t.identifier, x0: t.clientX, y0: t.clientY, x: t.clientX, y: t.clientY,
      at: event.timeStamp, vx: 0, vy: 0, panning: false, axis: null,
    };
  }, { capture: true, passive: true });
  window.addEventListener('touchmove', (event) => {
    if (!touch || !onCanvas(event)) return;
    const t = followed(event);
    if (!t) return;
    if (!touch.panning) {
      const ax = Math.abs(t.clientX - touch.x0);
      const ay = Math.abs(t.clientY - touch.y0);
      if (Math.hypot(ax, ay) < PAN_SLOP) return;
      touch.panning = true;
      touch.axis = ax > 2 * ay ? 'x' : ay > 2 * ax ? 'y' : null;
    }
    const dx = touch.axis === 'y' ? 0 : t.clientX - touch.x;
    const dy = touch.axis === 'x' ? 0 : t.clientY - touch.y;
    const dt = Math.max(1, event.timeStamp - touch.at);
    touch.vx = 0.7 * (dx / dt) + 0.3 * touch.vx;
    touch.vy = 0.7 * (dy / dt) + 0.3 * touch.vy;
    touch.x = t.clientX;
    touch.y = t.clientY;
    touch.at = event.timeStamp;
    pan(t.clientX, t.clientY, dx, dy);
  }, { capture: true, passive: true });
  window.addEventListener('touchend', (event) => {
    if (!touch || !onCanvas(event)) return;
    const ended = touch;
    touch = null;
    if (!ended.panning) return;
    // A drag is no tap: where the browser could still make mouse events of its end, it is told
    // not to, so nothing under the finger is pressed where it lifted.
    if (event.cancelable) event.preventDefault();
    if (event.timeStamp - ended.at > 100) return;  // the finger rested before lifting
    let { vx, vy } = ended;
    let last = performance.now();
    const step = (now) => {
      const dt = Math.min(50, now - last);
      last = now;
      const decay = Math.pow(FLING_DECAY_PER_MS, dt);
      vx *= decay;
      vy *= decay;
      if (Math.hypot(vx, vy) < FLING_STOP) { fling = 0; return; }
      pan(ended.x, ended.y, vx * dt, vy * dt);
      fling = requestAnimationFrame(step);
    };
    fling = requestAnimationFrame(step);
  }, { capture: true, passive: false });
  window.addEventListener('touchcancel', () => { touch = null; }, { capture: true, passive: true });

  // A tap reaches the program as the mouse events the browser makes of it, at the tapped place.
  // GLFW's own touch handlers would press the button where the pointer was before (they learn
  // no position from a touch), so a tap here would first click the previous tap's place.
  for (const type of ['touchstart', 'touchmove', 'touchend', 'touchcancel']) {
    window.addEventListener(type, (event) => {
      if (event.target === canvas) event.stopPropagation();
    }, { capture: true, passive: true });
  }

  // The program draws only while something can change; any input wakes it for the next frame.
  // Capture phase on window, so it runs whatever the target and before GLFW's own handlers.
  const WAKE_EVENTS = ['mousedown', 'mouseup', 'mousemove', 'wheel', 'keydown', 'keyup',
    'keypress', 'touchstart', 'touchmove', 'touchend', 'touchcancel', 'focus', 'blur', 'resize',
    'paste', 'compositionupdate', 'compositionend', 'visibilitychange'];
  const wake = () => { if (runtimeReady) Module._dypls_wake(); };
  for (const type of WAKE_EVENTS) window.addEventListener(type, wake, { capture: true, passive: true });
  document.addEventListener('visibilitychange', wake);

  window.Module = {
    canvas,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
    instantiateWasm(imports, receive) {
      wasmBytes
        .then((bytes) => WebAssembly.instantiate(bytes, imports))
        .then((result) => receive(result.instance, result.module))
        .catch((error) => fatal('load', String(error)));
      return {};
    },
    onRuntimeInitialized() {
      runtimeReady = true;
      loadingText.textContent = 'Starting… 启动中…';
      fontBytes.then((bytes) => {
        if (!bytes) { Module._dypls_set_font(0, 0); return; }
        const ptr = Module._malloc(bytes.length);
        Module.HEAPU8.set(bytes, ptr);
        Module._dypls_set_font(ptr, bytes.length);
        Module._free(ptr);
      });
    },
    onAbort: (what) => fatal('load', String(what)),
  };

  // For tests and curious people: the program's state (never a secret) and widget boxes.
  window.dypls = {
    state: () => JSON.parse(Module.UTF8ToString(Module._dypls_state())),
    items: () => JSON.parse(Module.UTF8ToString(Module._dypls_items())),
    // The widget with keyboard focus: {key, label, role, ring} (key '' when none).
    focused: () => JSON.parse(Module.UTF8ToString(Module._dypls_focused())),
    frames: () => (runtimeReady ? Module._dypls_frames() : 0),
    // Draw frames as if input had arrived (tests waiting on frames); for benchmarks timing
    // frames, draw every animation frame while on.
    wake,
    drawContinuously: (on) => { if (runtimeReady) Module._dypls_draw_continuously(on ? 1 : 0); },
    firstFrameAt: null,
    fontComplete: false,  // the rest of the CJK set has been merged in
    // The characters of `text` the font cannot draw yet.
    missingGlyphs: (text) => {
      let missing = '';
      withString(text, (ptr) => { missing = Module.UTF8ToString(Module._dypls_missing_glyphs(ptr)); });
      return missing;
    },
    lastCopied: 0,
    leaveWarning: false,  // the page asks before being left (a purchase in flight or unknown)
    lockMode: useWebLocks ? 'web-locks' : 'lease',
  };
})();

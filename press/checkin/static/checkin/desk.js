/* The check-in desk: answers scans through the server, or from the day's list kept on
 * this device when the network is down, and sends the scans made offline when it
 * returns. Every word shown comes from the page's data-str-* attributes. */
(function () {
  "use strict";

  var root = document.getElementById("desk");
  if (!root) { return; }
  var data = root.dataset;
  var DB_NAME = "presse-checkin";
  var DB_VERSION = 1;
  var SYNC_EVERY_MS = 20000;
  var LIST_EVERY_MS = 10 * 60 * 1000;

  function str(key, values) {
    var name = "str" + key.split("-").map(function (part) {
      return part.charAt(0).toUpperCase() + part.slice(1);
    }).join("");
    var text = data[name] || "";
    Object.keys(values || {}).forEach(function (field) {
      text = text.split("%(" + field + ")s").join(values[field]);
      text = text.split("%(" + field + ")d").join(values[field]);
    });
    return text;
  }

  // The key of a counted string: the page carries its forms for 0, 1 and more.
  function counted(key, count) {
    return key + (count === 0 ? "-zero" : (count === 1 ? "-one" : "-many"));
  }

  function byId(id) { return document.getElementById(id); }

  var codeInput = byId("code");
  var scanForm = byId("scan-form");
  var answerBox = byId("answer");
  var errorBox = byId("error");
  var holdForm = byId("hold-form");
  var deskInput = byId("desk-name");

  function deskName() { return (deskInput && deskInput.value.trim()) || ""; }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : (field ? field.value : "");
  }

  function newNonce() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function sha256(text) {
    var bytes = new TextEncoder().encode(text.trim());
    return window.crypto.subtle.digest("SHA-256", bytes).then(function (digest) {
      return Array.prototype.map.call(new Uint8Array(digest), function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    });
  }

  function timeLabel(iso) {
    var date = new Date(iso);
    var lang = document.documentElement.lang;
    if (lang.indexOf("fr") === 0) {
      // French typography: "8 h 05".
      return date.getHours() + "\u00a0h\u00a0" + ("0" + date.getMinutes()).slice(-2);
    }
    return date.toLocaleTimeString(lang, { hour: "numeric", minute: "2-digit" });
  }

  function daysLabel(days) {
    return days.map(function (day) {
      var parts = day.split("-");
      var date = new Date(Number(parts[0]), Number(parts[1]) - 1, Number(parts[2]));
      return date.toLocaleDateString(document.documentElement.lang, { day: "numeric", month: "long" });
    }).join(", ");
  }

  /* ---- IndexedDB: the day's list, this device's check-ins, the queue ---- */

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("meta");
        db.createObjectStore("badges", { keyPath: "hash" });
        db.createObjectStore("local", { keyPath: "key" });
        db.createObjectStore("queue", { keyPath: "nonce" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(stores, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(stores, mode);
        var result = work(transaction);
        transaction.oncomplete = function () { db.close(); resolve(result && result.value); };
        transaction.onerror = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function getOne(store, key) {
    var box = {};
    return tx([store], "readonly", function (t) {
      t.objectStore(store).get(key).onsuccess = function (event) { box.value = event.target.result; };
      return box;
    });
  }

  function getAll(store) {
    var box = {};
    return tx([store], "readonly", function (t) {
      t.objectStore(store).getAll().onsuccess = function (event) { box.value = event.target.result; };
      return box;
    });
  }

  function forgetDevice() {
    return tx(["meta", "badges", "local", "queue"], "readwrite", function (t) {
      ["meta", "badges", "local", "queue"].forEach(function (name) { t.objectStore(name).clear(); });
    });
  }

  function storeList(list) {
    return tx(["meta", "badges", "local"], "readwrite", function (t) {
      t.objectStore("badges").clear();
      t.objectStore("local").clear();
      list.badges.forEach(function (badge) { t.objectStore("badges").put(badge); });
      t.objectStore("meta").put({
        day: list.day, expiresAt: list.expires_at, generatedAt: list.generated_at,
        user: String(list.user), count: list.badges.length
      }, "list");
    });
  }

  /* ---- status pills ---- */

  var online = navigator.onLine;

  function showNet() {
    var pill = byId("net");
    pill.textContent = online ? str("online") : str("offline");
    pill.className = "pill " + (online ? "pill-online" : "pill-offline");
  }

  function showList() {
    return getOne("meta", "list").then(function (meta) {
      var pill = byId("list-status");
      if (!meta) { pill.hidden = true; return; }
      pill.hidden = false;
      pill.textContent = str(counted("list", meta.count), { time: timeLabel(meta.generatedAt), count: meta.count });
    });
  }

  function showQueue() {
    return getAll("queue").then(function (queue) {
      var pill = byId("queue-status");
      var count = queue.length;
      pill.hidden = count === 0;
      pill.textContent = str(counted("queue", count), { count: count });
      return count;
    });
  }

  /* ---- the answer ---- */

  function setText(id, text) {
    var element = byId(id);
    element.textContent = text || "";
    element.hidden = !text;
  }

  function showAnswer(answer, offlineNote) {
    errorBox.hidden = true;
    answerBox.hidden = false;
    answerBox.className = "answer answer-" + answer.tone;
    byId("answer-headline").textContent = answer.headline;
    showPhoto(answer);
    setText("answer-name", answer.name);
    setText("answer-outlet", answer.outlet);
    setText("answer-days", answer.days_label ? str("days", { days: answer.days_label }) : "");
    setText("answer-today", answer.name ? (answer.today_ok ? str("today-yes") : str("today-no")) : "");
    setText("answer-detail", answer.detail);
    setText("answer-held", answer.held ? str("held", { note: answer.held.note }) : "");
    setText("answer-offline", offlineNote || "");
    var canHold = Boolean(answer.badge_request) && !answer.held && !offlineNote;
    holdForm.hidden = !canHold;
    byId("hold-request").value = answer.badge_request || "";
  }

  /* The photo to compare with an ID: from the server online, from the day's list (a data:
   * URL) offline; a placeholder, never a broken image, when there is none or it fails. */
  var photo = byId("answer-photo");
  var noPhoto = byId("answer-photo-none");
  photo.addEventListener("error", function () {
    if (!photo.getAttribute("src")) { return; }
    photo.removeAttribute("src");
    photo.hidden = true;
    noPhoto.hidden = false;
  });

  function showPhoto(answer) {
    if (answer.photo_url) {
      photo.src = answer.photo_url;
      photo.hidden = false;
      noPhoto.hidden = true;
    } else {
      photo.removeAttribute("src");
      photo.hidden = true;
      noPhoto.hidden = !answer.name;
    }
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  /* ---- answering from the device's list ---- */

  function answerOffline(code, nonce, scannedAt) {
    return getOne("meta", "list").then(function (meta) {
      if (!meta) {
        return { tone: "unknown", headline: str("unknown"), detail: str("no-list"), result: "unknown" };
      }
      return sha256(code).then(function (hash) {
        return Promise.all([getOne("badges", hash), getOne("local", hash + "|" + meta.day)]).then(function (found) {
          var badge = found[0];
          var local = found[1];
          var answer = localAnswer(badge, local, meta);
          var queued = { nonce: nonce, code: code, scanned_at: scannedAt, desk: deskName() };
          return tx(["queue", "local"], "readwrite", function (t) {
            t.objectStore("queue").put(queued);
            if (answer.result === "ok" && !answer.held) {
              t.objectStore("local").put({ key: hash + "|" + meta.day, at: scannedAt, desk: deskName() });
            }
          }).then(function () {
            answer.offlineNote = str("offline-answer", { time: timeLabel(meta.generatedAt) });
            return answer;
          });
        });
      });
    });
  }

  function localAnswer(badge, local, meta) {
    if (!badge) {
      return { result: "unknown", tone: "unknown", headline: str("unknown"), detail: str("unknown-detail") };
    }
    var answer = {
      name: badge.name, outlet: badge.outlet, photo_url: badge.photo || null,
      days_label: daysLabel(badge.days), today_ok: badge.today_ok,
      held: badge.hold ? { note: badge.hold } : null, detail: ""
    };
    if (badge.badge_state !== "active") {
      var replaced = badge.badge_state === "replaced";
      answer.result = "revoked";
      answer.tone = "refused";
      answer.headline = replaced ? str("replaced") : str("revoked");
      answer.detail = replaced ? str("replaced-detail") : str("revoked-detail");
    } else if (badge.request_state !== "approved") {
      answer.result = "not_approved";
      answer.tone = "refused";
      answer.headline = str("not-approved");
      answer.detail = str("state-detail", { state: badge.request_state_label });
    } else if (!badge.today_ok) {
      answer.result = "not_today";
      answer.tone = "refused";
      answer.headline = str("not-today");
      answer.detail = str("not-today-detail", { days: answer.days_label || "—" });
    } else if (local || badge.checked_in_at) {
      var at = local ? local.at : badge.checked_in_at;
      var desk = local ? (local.desk || str("this-device")) : (badge.checked_in_desk || "—");
      answer.result = "already";
      answer.tone = "already";
      answer.headline = str("already");
      answer.detail = str("already-detail", { when: timeLabel(at), by: "—", desk: desk });
    } else if (badge.hold) {
      answer.result = "ok";
      answer.tone = "hold";
      answer.headline = str("hold");
    } else {
      answer.result = "ok";
      answer.tone = "ok";
      answer.headline = str("ok");
    }
    return answer;
  }

  /* ---- scanning ---- */

  function scan(code) {
    code = code.trim();
    if (!code) { showError(str("no-code")); return Promise.resolve(); }
    var nonce = newNonce();
    var scannedAt = new Date().toISOString();
    var body = new URLSearchParams({ code: code, nonce: nonce, desk: deskName() });
    var fallback = function () {
      online = false;
      showNet();
      return answerOffline(code, nonce, scannedAt).then(function (answer) {
        showAnswer(answer, answer.offlineNote || answer.detail);
        return showQueue();
      });
    };
    if (!navigator.onLine) { return fallback(); }
    return fetch(data.scanUrl, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 403) { showError(str("forbidden")); return null; }
      return response.json().then(function (payload) {
        if (!response.ok) { showError(payload.message || str("error")); return null; }
        online = true;
        showNet();
        showAnswer(payload);
        return null;
      });
    }, fallback);
  }

  scanForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeInput.value;
    codeInput.value = "";
    scan(code).catch(function () { showError(str("error")); }).then(focusCode);
  });

  /* ---- holds ---- */

  holdForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = new URLSearchParams(new FormData(holdForm));
    body.set("desk", deskName());
    fetch(data.holdUrl, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (payload) {
        if (!response.ok) { showError(payload.message || str("error")); return; }
        answerBox.className = "answer answer-hold";
        byId("answer-headline").textContent = str("hold");
        setText("answer-held", str("held", { note: payload.held.note }));
        holdForm.hidden = true;
        byId("hold-note").value = "";
      });
    }).catch(function () { showError(str("error")); }).then(focusCode);
  });

  /* ---- name search ---- */

  var searchForm = byId("search-form");
  var results = byId("search-results");
  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = byId("search-q").value.trim();
    fetch(data.searchUrl + "?" + new URLSearchParams({ q: query }), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) { return response.json(); }).then(function (payload) {
      results.textContent = "";
      if (!payload.results || payload.results.length === 0) {
        var none = document.createElement("li");
        none.className = "search-none";
        none.textContent = str("none-found");
        results.appendChild(none);
        return;
      }
      payload.results.forEach(function (row) {
        var item = document.createElement("li");
        var name = document.createElement("span");
        name.className = "search-name";
        name.textContent = row.name;
        var outlet = document.createElement("span");
        outlet.className = "search-outlet";
        outlet.textContent = " " + row.outlet;
        item.appendChild(name);
        item.appendChild(outlet);
        if (row.can_scan) {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "button-small";
          button.textContent = str("check-in");
          button.addEventListener("click", function () { scanRequest(row.badge_request); });
          item.appendChild(button);
        } else {
          var state = document.createElement("span");
          state.className = "search-state";
          state.textContent = row.state_label;
          item.appendChild(state);
        }
        results.appendChild(item);
      });
    }).catch(function () { showError(str("error")); });
  });

  function scanRequest(id) {
    var body = new URLSearchParams({ badge_request: id, nonce: newNonce(), desk: deskName() });
    fetch(data.scanUrl, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (payload) {
        if (!response.ok) { showError(payload.message || str("error")); return; }
        showAnswer(payload);
      });
    }).catch(function () { showError(str("error")); }).then(focusCode);
  }

  /* ---- the day's list and the queue ---- */

  function downloadList() {
    if (!navigator.onLine) { return Promise.resolve(); }
    return fetch(data.listUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { return null; }
        return response.json().then(storeList).then(showList);
      }).catch(function () { return null; });
  }

  var syncing = false;
  function syncQueue() {
    if (syncing || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    return getAll("queue").then(function (queue) {
      if (queue.length === 0) { return null; }
      return fetch(data.syncUrl, {
        method: "POST",
        headers: { "Accept": "application/json", "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ scans: queue.slice(0, 500) }),
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { return null; }
        online = true;
        showNet();
        return response.json().then(function (payload) {
          // A scan the server answered (or refused as unreadable) leaves the queue.
          var done = payload.results.map(function (row) { return row.nonce; }).filter(Boolean);
          return tx(["queue"], "readwrite", function (t) {
            done.forEach(function (nonce) { t.objectStore("queue").delete(nonce); });
          });
        });
      });
    }).catch(function () { return null; }).then(function () {
      syncing = false;
      return showQueue();
    });
  }

  /* The device's copy lives for one day and one user: another user forgets it all, the
   * end of the day forgets the list (scans not yet sent stay until they are). */
  function checkCopy() {
    return getOne("meta", "list").then(function (meta) {
      if (!meta) { return null; }
      if (meta.user !== String(data.user)) { return forgetDevice().then(showList); }
      if (new Date(meta.expiresAt).getTime() <= Date.now()) {
        return tx(["meta", "badges", "local"], "readwrite", function (t) {
          ["meta", "badges", "local"].forEach(function (name) { t.objectStore(name).clear(); });
        }).then(showList);
      }
      return null;
    });
  }

  /* Logging out sends what is waiting first; the page after logout forgets the rest. */
  var logoutForm = document.querySelector("form.logout");
  logoutForm.addEventListener("submit", function (event) {
    if (logoutForm.dataset.ready) { return; }
    event.preventDefault();
    syncQueue().then(function () {
      logoutForm.dataset.ready = "1";
      logoutForm.submit();
    });
  });

  window.addEventListener("online", function () {
    online = true;
    showNet();
    syncQueue().then(downloadList);
  });
  window.addEventListener("offline", function () { online = false; showNet(); });

  /* ---- always focused ---- */

  function focusCode() {
    var active = document.activeElement;
    var busy = active && active !== codeInput && active.matches("input, textarea, select, summary");
    if (!busy) { codeInput.focus(); }
  }
  codeInput.addEventListener("blur", function () { window.setTimeout(focusCode, 150); });
  document.addEventListener("click", function () { window.setTimeout(focusCode, 150); });

  /* ---- camera ---- */

  var cameraBox = byId("camera");
  var video = byId("camera-video");
  var cameraButton = byId("camera-start");
  var stream = null;
  var lastCode = "";
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) { cameraButton.hidden = false; }

  function makeDetector() {
    if ("BarcodeDetector" in window) {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function () {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
      };
    }
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", { willReadFrequently: true });
    return function () {
      if (!video.videoWidth || typeof window.jsQR !== "function") { return Promise.resolve(null); }
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      return Promise.resolve(found ? found.data : null);
    };
  }

  function stopCamera() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    cameraBox.hidden = true;
    focusCode();
  }

  cameraButton.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (media) {
      stream = media;
      video.srcObject = media;
      cameraBox.hidden = false;
      return video.play();
    }).then(function () {
      var detect = makeDetector();
      var tick = function () {
        if (!stream) { return; }
        detect().then(function (value) {
          if (value && value !== lastCode) {
            lastCode = value;
            window.setTimeout(function () { lastCode = ""; }, 3000);
            scan(value);
          }
        }).catch(function () { return null; }).then(function () { window.setTimeout(tick, 200); });
      };
      tick();
    }).catch(function () { showError(str("camera-error")); stopCamera(); });
  });
  byId("camera-stop").addEventListener("click", stopCamera);

  /* ---- start ---- */

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(data.swUrl, { scope: data.scanUrl }).catch(function () { return null; });
  }
  showNet();
  checkCopy().then(showList).then(showQueue).then(syncQueue).then(downloadList);
  window.setInterval(function () { syncQueue(); }, SYNC_EVERY_MS);
  window.setInterval(function () { checkCopy(); downloadList(); }, LIST_EVERY_MS);
  window.setInterval(checkCopy, 60000);
  focusCode();
}());

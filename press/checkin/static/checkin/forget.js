/* After logout: this device forgets the check-in desk's copy of the day's list, its
 * queue and its cached pages. Loaded by the back office's "logged out" page. */
(function () {
  "use strict";
  if (window.indexedDB) { window.indexedDB.deleteDatabase("presse-checkin"); }
  if (window.caches) {
    window.caches.keys().then(function (names) {
      names.filter(function (name) { return name.indexOf("presse-checkin") === 0; })
        .forEach(function (name) { window.caches.delete(name); });
    });
  }
}());

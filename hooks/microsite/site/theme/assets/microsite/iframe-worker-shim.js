/*
 * A Web Worker stand-in for pages opened from file://, where browsers refuse
 * to start workers. It runs the worker script in a hidden same-origin iframe
 * and passes messages both ways. Written for this project; it supports what
 * Material's search worker uses: postMessage, onmessage / addEventListener
 * and a promise-returning importScripts.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:" || !window.Worker) return;

  function loadScript(win, url) {
    return new Promise(function (resolve, reject) {
      var script = win.document.createElement("script");
      script.src = url;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + url)); };
      win.document.head.appendChild(script);
    });
  }

  function FileWorker(url) {
    var self = this;
    var target = document.createDocumentFragment();
    this.onmessage = null;
    this.onerror = null;
    this.addEventListener = target.addEventListener.bind(target);
    this.removeEventListener = target.removeEventListener.bind(target);
    this._dispatch = function (event) {
      target.dispatchEvent(event);
      var handler = event.type === "message" ? self.onmessage : self.onerror;
      if (typeof handler === "function") handler.call(self, event);
    };
    this._pending = [];
    this._ready = false;

    var frame = document.createElement("iframe");
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    frame.style.display = "none";
    (document.body || document.documentElement).appendChild(frame);
    this._frame = frame;

    var win = frame.contentWindow;
    win.document.open();
    win.document.write("<!doctype html><html><head></head><body></body></html>");
    win.document.close();
    // The worker's global scope, as far as the worker script needs it.
    win.postMessage = function (data) {
      self._dispatch(new MessageEvent("message", { data: data }));
    };
    win.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (chain, next) {
        return chain.then(function () { return loadScript(win, new URL(next, url).href); });
      }, Promise.resolve());
    };
    win.onerror = function (message) {
      self._dispatch(new ErrorEvent("error", { message: String(message) }));
    };
    this._win = win;
    loadScript(win, new URL(url, location.href).href).then(function () {
      self._ready = true;
      self._pending.splice(0).forEach(function (data) { self.postMessage(data); });
    }, function (error) {
      self._dispatch(new ErrorEvent("error", { message: error.message }));
    });
  }

  FileWorker.prototype.postMessage = function (data) {
    if (!this._ready) { this._pending.push(data); return; }
    var win = this._win;
    win.dispatchEvent(new win.MessageEvent("message", { data: data }));
  };
  FileWorker.prototype.terminate = function () {
    if (this._frame && this._frame.parentNode) this._frame.parentNode.removeChild(this._frame);
    this._frame = null;
  };

  window.Worker = FileWorker;
})();

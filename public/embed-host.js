/* global window */
/**
 * embed-host.js: the host-page side of the BERT Embedding Lab's iframe embeds, for course pages
 * that do not want to write the postMessage listener themselves. One file, no imports; load it
 * from the lab's own address, as a classic script or a module, once or twice (the second load
 * only adds its data-dark-class, if any):
 *
 *   <script src="https://lab.example/embed-host.js" data-dark-class="dark"></script>
 *
 * What it does:
 * - Fits every lab iframe on the page to the heights the lab reports (`height` messages), frames
 *   added later by a single-page site included. A message counts only when it comes from an
 *   iframe's own window (event.source) and from the origin of that iframe's src (event.origin).
 * - window.bertLabEmbeds.setTheme('light' | 'dark' | 'auto') sends `setTheme` to every lab
 *   iframe, and again to each one that (re)loads and says `ready`; it sets the `theme` attribute of
 *   every <bert-embedding-lab> element, those added later too.
 * - window.bertLabEmbeds.followTheme(() => 'light' | 'dark') applies the theme now and again
 *   whenever the attributes of <html> or <body> change (a site's dark-mode toggle); it returns a
 *   function that stops following.
 * - data-dark-class="dark" on the script tag is the shorthand for following a site that marks dark
 *   mode with a class on <html> (VitePress: html.dark): dark with the class, light without.
 */
(function (window) {
  'use strict';
  var document = window.document;
  // Loaded twice (two snippets on one page): the first copy serves both.
  if (window.bertLabEmbeds && window.bertLabEmbeds.version === 1) {
    shorthand(window.bertLabEmbeds);
    return;
  }

  var SOURCE = 'bert-embedding-lab';
  var THEMES = ['light', 'dark', 'auto'];
  // A report past this is not a page's height: ignore it rather than make a frame kilometres tall.
  var MAX_HEIGHT = 100000;

  /** The theme last asked for (null: none yet, the embeds follow their own `theme=`). */
  var theme = null;
  /** The lab iframes heard from, and the origin each was verified against. */
  var frames = [];

  /** The iframe on this page whose window sent `event`, if the message came from its src's origin. */
  function frameOf(event) {
    var iframes = document.querySelectorAll('iframe');
    for (var i = 0; i < iframes.length; i++) {
      var iframe = iframes[i];
      if (iframe.contentWindow !== event.source) continue;
      var origin;
      try {
        origin = new window.URL(iframe.src, window.location.href).origin;
      } catch {
        return null;
      }
      return origin === event.origin ? { iframe: iframe, origin: origin } : null;
    }
    return null;
  }

  function remember(found) {
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].iframe === found.iframe) {
        frames[i].origin = found.origin;
        return;
      }
    }
    frames.push(found);
  }

  function postTheme(found) {
    if (theme === null || !found.iframe.contentWindow) return;
    // A frame whose document's colour scheme differs from its iframe element's is painted over an
    // opaque backdrop, which would hide the page behind a transparent embed: keep the two equal.
    found.iframe.style.colorScheme = theme === 'auto' ? 'light dark' : theme;
    found.iframe.contentWindow.postMessage({ type: 'setTheme', payload: { theme: theme } }, found.origin);
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || typeof data !== 'object' || data.source !== SOURCE) return;
    var found = frameOf(event);
    if (!found) return;
    remember(found);
    if (data.type === 'height') {
      var height = data.payload && data.payload.height;
      if (typeof height !== 'number' || !(height > 0) || height > MAX_HEIGHT) return;
      found.iframe.style.height = Math.ceil(height) + 'px';
    } else if (data.type === 'ready') {
      // A frame that (re)loaded starts from its own theme=: tell it the page's again.
      postTheme(found);
    }
  });

  function themeElements(root) {
    var elements = root.querySelectorAll ? root.querySelectorAll('bert-embedding-lab') : [];
    for (var i = 0; i < elements.length; i++) elements[i].setAttribute('theme', theme);
    if (root.localName === 'bert-embedding-lab') root.setAttribute('theme', theme);
  }

  /** Elements added after setTheme get the theme too (a single-page site changing pages). */
  var added = null;
  function watchAddedElements() {
    if (added || !window.MutationObserver) return;
    added = new window.MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var nodes = records[i].addedNodes;
        for (var j = 0; j < nodes.length; j++) if (nodes[j].nodeType === 1) themeElements(nodes[j]);
      }
    });
    added.observe(document.documentElement, { childList: true, subtree: true });
  }

  function setTheme(next) {
    if (THEMES.indexOf(next) < 0) {
      window.console.warn('embed-host.js: theme must be light, dark or auto, not ' + String(next));
      return;
    }
    theme = next;
    for (var i = 0; i < frames.length; i++) postTheme(frames[i]);
    themeElements(document);
    watchAddedElements();
  }

  var stopFollowing = null;
  function followTheme(read) {
    if (typeof read !== 'function') throw new TypeError('followTheme needs a function');
    if (stopFollowing) stopFollowing();
    var apply = function () {
      var next = read();
      // Only a change is sent: <html> attributes change for many reasons besides the theme.
      if (next !== theme) setTheme(next);
    };
    apply();
    if (!window.MutationObserver) return function () {};
    var observer = new window.MutationObserver(apply);
    var options = { attributes: true };
    observer.observe(document.documentElement, options);
    var watchBody = function () {
      if (document.body) observer.observe(document.body, options);
    };
    // In the <head>, the <body> does not exist yet.
    if (document.body) watchBody();
    else document.addEventListener('DOMContentLoaded', watchBody);
    stopFollowing = function () {
      observer.disconnect();
      document.removeEventListener('DOMContentLoaded', watchBody);
      stopFollowing = null;
    };
    return stopFollowing;
  }

  /** The script tag's data-dark-class shorthand. */
  function shorthand(api) {
    var script =
      document.currentScript || document.querySelector('script[src*="embed-host"][data-dark-class]');
    var dark = script && script.getAttribute('data-dark-class');
    if (!dark) return;
    api.followTheme(function () {
      return document.documentElement.classList.contains(dark) ? 'dark' : 'light';
    });
  }

  var api = { version: 1, setTheme: setTheme, followTheme: followTheme };
  window.bertLabEmbeds = api;
  shorthand(api);
})(window);

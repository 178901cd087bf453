// Points each widget at the LossLab build: by default the folder above this page; a
// `#base=<url>` in this page's address picks another (e.g. a widget server on another origin).
(function () {
  var m = /[#&]base=([^&]+)/.exec(location.hash);
  var base = m ? decodeURIComponent(m[1]) : '../';
  var frames = document.querySelectorAll('iframe[data-src]');
  for (var i = 0; i < frames.length; i++) {
    frames[i].src = base + frames[i].getAttribute('data-src');
  }
})();

// Round page: refresh the live part every few seconds, and copy the group message.
(function () {
  var live = document.getElementById("live");
  if (live && live.dataset.live) {
    var refresh = function () {
      fetch(live.dataset.live, {credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (r) {
          if (r.redirected) { window.location.reload(); return null; }  // logged out: show the login page
          return r.ok ? r.text() : null;
        })
        .then(function (html) { if (html !== null) live.innerHTML = html; })  // server-rendered and escaped
        .catch(function () {})
        .then(function () { setTimeout(refresh, 2000); });
    };
    setTimeout(refresh, 2000);
  }
  var copy = document.getElementById("copy-share");
  if (copy) {
    copy.addEventListener("click", function () {
      var text = document.getElementById("share-text");
      var status = document.getElementById("copy-status");
      var done = function () { status.textContent = "已复制，去群里粘贴吧"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text.value).then(done, function () {
          text.select(); document.execCommand("copy"); done();
        });
      } else {
        text.select(); document.execCommand("copy"); done();
      }
    });
  }
})();

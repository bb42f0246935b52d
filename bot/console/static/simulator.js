// The chat simulator: posts to the console, which signs the message and sends it through /wechat.
(function () {
  var phone = document.getElementById("phone");
  var bubbles = document.getElementById("bubbles");
  var openidInput = document.getElementById("openid");
  var lastSeen = 0;

  function bubble(text, who) {
    var div = document.createElement("div");
    div.className = "bubble " + who;
    div.textContent = text;  // never innerHTML: messages are untrusted text
    div.setAttribute("data-testid", "bubble-" + who);
    bubbles.appendChild(div);
    bubbles.scrollTop = bubbles.scrollHeight;
  }

  function send(payload) {
    return fetch(phone.dataset.say, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": phone.dataset.csrf},
      body: JSON.stringify(payload)
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (data.error) bubble(data.error, "system");
      else if (data.answer) bubble(data.answer, "bot");
      else bubble("（回答稍后以客服消息送达）", "system");
    }).catch(function () { bubble("连不上机器人，请稍后再试", "system"); });
  }

  document.getElementById("composer").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("text");
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    bubble(text, "me");
    send({openid: openidInput.value, text: text});
  });

  // Scanning a parametric QR code (a round's): the event WeChat would send, through the same webhook.
  document.getElementById("scan").addEventListener("submit", function (event) {
    event.preventDefault();
    var scene = document.getElementById("scene").value.trim();
    if (!scene) return;
    bubble("（扫描二维码 " + scene + "）", "system");
    send({openid: openidInput.value, event: "scan", scene: scene});
  });

  function poll() {
    var url = phone.dataset.inbox + "?openid=" + encodeURIComponent(openidInput.value) + "&after=" + lastSeen;
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      (data.messages || []).forEach(function (m) {
        lastSeen = Math.max(lastSeen, m.id);
        bubble(m.delivery === "sent" ? m.text : "（客服消息未送达：" + (m.error || "") + "）" + m.text,
               m.delivery === "sent" ? "bot" : "system");
      });
    }).catch(function () {}).then(function () { setTimeout(poll, 1500); });
  }
  fetch(phone.dataset.inbox + "?openid=" + encodeURIComponent(openidInput.value) + "&after=0", {credentials: "same-origin"})
    .then(function (r) { return r.json(); })
    .then(function (data) { (data.messages || []).forEach(function (m) { lastSeen = Math.max(lastSeen, m.id); }); })
    .catch(function () {}).then(poll);
  openidInput.addEventListener("change", function () { bubbles.innerHTML = ""; lastSeen = 0; });
})();

// Buttons with data-confirm ask first. (An inline onclick is blocked by the console's CSP, so the
// question never showed and 删除 deleted at the first tap.)
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

/* Upload with progress: a form with data-upload="ID" is sent by XMLHttpRequest so the page can show
   the bytes sent in the <progress> of element ID. The texts come from the element's data-* (so
   they are translated with the page). Without JavaScript the form posts as usual. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  var box = form.dataset && form.dataset.upload ? document.getElementById(form.dataset.upload) : null;
  var input = form.querySelector("input[type=file]");
  if (!box || !window.FormData || !input || !input.files.length) return;
  event.preventDefault();
  var bar = box.querySelector("progress"), text = box.querySelector("[data-text]");
  var button = form.querySelector("button[type=submit]");
  var kb = function (n) { return Math.round(n / 1024).toLocaleString("id-ID") + " KB"; };
  box.hidden = false;
  if (button) button.disabled = true;
  text.textContent = box.dataset.uploading;
  var xhr = new XMLHttpRequest();
  xhr.open("POST", form.getAttribute("action") || window.location.href);
  xhr.upload.addEventListener("progress", function (e) {
    if (!e.lengthComputable) return;
    bar.max = e.total;
    bar.value = e.loaded;
    text.textContent = box.dataset.uploading + " " + kb(e.loaded) + " / " + kb(e.total) +
      " (" + Math.floor(100 * e.loaded / e.total) + "%)";
  });
  xhr.upload.addEventListener("load", function () {
    bar.removeAttribute("value");
    text.textContent = box.dataset.sent;
  });
  xhr.addEventListener("load", function () {
    var to = xhr.responseURL ? new URL(xhr.responseURL) : null;
    if (to && to.pathname !== window.location.pathname) {
      window.location.assign(to.href);  // the check's page
      return;
    }
    // The form came back with an error: show the page as answered.
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
  });
  xhr.addEventListener("error", function () {
    text.textContent = box.dataset.failed;
    if (button) button.disabled = false;
  });
  xhr.send(new FormData(form));
});

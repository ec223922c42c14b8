// Drag and drop onto the upload box; the plain file input works without this script.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var chosen = document.getElementById("chosen");
  var busy = document.getElementById("busy");
  if (!form || !drop || !input) {
    return;
  }
  function show() {
    chosen.textContent = input.files.length ? "已选择：" + input.files[0].name : "";
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) {
      event.preventDefault();
      drop.classList.add("over");
    });
  });
  ["dragleave", "dragend"].forEach(function (name) {
    drop.addEventListener(name, function () {
      drop.classList.remove("over");
    });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    drop.classList.remove("over");
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) {
      return;
    }
    input.files = files;
    show();
    form.requestSubmit();
  });
  window.addEventListener("pageshow", function () {
    busy.hidden = true;
    document.getElementById("go").disabled = false;
  });
  form.addEventListener("submit", function () {
    busy.hidden = false;
    document.getElementById("go").disabled = true;
  });
})();

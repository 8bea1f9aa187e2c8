// The share pages' player: plays each listed preview in order. Plain JavaScript, no inline
// code (the pages' Content-Security-Policy allows scripts from this origin only).
(function () {
  "use strict";
  var root = document.querySelector("[data-player]");
  if (!root) return;
  var audio = root.querySelector("audio");
  var toggle = root.querySelector("[data-action=toggle]");
  var playIcon = toggle.querySelector("[data-icon-play]");
  var pauseIcon = toggle.querySelector("[data-icon-pause]");
  var previous = root.querySelector("[data-action=previous]");
  var next = root.querySelector("[data-action=next]");
  var progress = root.querySelector("[data-progress]");
  var now = root.querySelector("[data-now]");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-preview]"));
  var lyrics = Array.prototype.slice.call(document.querySelectorAll("[data-lyrics] li"));
  var offsetMs = parseInt(audio.getAttribute("data-offset-ms") || "0", 10);
  var index = -1;
  var seeking = false;

  function load(i) {
    if (index >= 0) items[index].removeAttribute("aria-current");
    index = i;
    items[i].setAttribute("aria-current", "true");
    audio.src = items[i].getAttribute("data-preview");
    var title = items[i].querySelector(".title"), artist = items[i].querySelector(".artist");
    now.textContent = "Now playing: " + title.textContent + " — " + artist.textContent;
    progress.value = 0;
  }

  function play(i) {
    if (i !== index) load(i);
    var started = audio.play();
    if (started && started.catch) started.catch(function () {});
  }

  function step(delta) {
    if (!items.length) return;
    var target = index < 0 ? 0 : Math.min(items.length - 1, Math.max(0, index + delta));
    play(target);
  }

  function setPlaying(playing) {
    toggle.setAttribute("aria-label", playing ? "Pause" : "Play");
    (playing ? playIcon : pauseIcon).setAttribute("hidden", "");
    (playing ? pauseIcon : playIcon).removeAttribute("hidden");
  }

  function highlight() {
    if (!lyrics.length) return;
    var t = offsetMs + audio.currentTime * 1000;
    var current = -1;
    for (var i = 0; i < lyrics.length; i++) {
      if (parseInt(lyrics[i].getAttribute("data-time-ms"), 10) <= t) current = i;
    }
    lyrics.forEach(function (line, i) {
      if (i === current) line.setAttribute("aria-current", "true");
      else line.removeAttribute("aria-current");
    });
  }

  toggle.addEventListener("click", function () {
    if (index < 0) play(0);
    else if (audio.paused) play(index);
    else audio.pause();
  });
  previous.addEventListener("click", function () {
    if (audio.currentTime > 3) audio.currentTime = 0;
    else step(-1);
  });
  next.addEventListener("click", function () { step(1); });
  items.forEach(function (item, i) {
    var pick = item.querySelector("button");
    if (pick) pick.addEventListener("click", function () { play(i); });
  });
  progress.addEventListener("input", function () {
    seeking = true;
    if (audio.duration) audio.currentTime = (progress.value / 1000) * audio.duration;
    seeking = false;
  });
  audio.addEventListener("play", function () { setPlaying(true); });
  audio.addEventListener("pause", function () { setPlaying(false); });
  audio.addEventListener("timeupdate", function () {
    if (!seeking && audio.duration) progress.value = Math.round((audio.currentTime / audio.duration) * 1000);
    highlight();
  });
  audio.addEventListener("ended", function () {
    if (index < items.length - 1) play(index + 1);
    else setPlaying(false);
  });
  audio.addEventListener("error", function () {
    now.textContent = "This preview could not be played.";
    setPlaying(false);
  });
  document.addEventListener("keydown", function (event) {
    var tag = event.target.tagName;
    if (event.altKey || event.ctrlKey || event.metaKey || tag === "INPUT" || tag === "BUTTON" || tag === "A") return;
    if (event.key === " " || event.key === "k") { event.preventDefault(); toggle.click(); }
    else if (event.key === "ArrowRight" || event.key === "n") next.click();
    else if (event.key === "ArrowLeft" || event.key === "p") previous.click();
  });
})();

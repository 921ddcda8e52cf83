// The desk board: drag and drop to rank, and keeping the board version in step after
// htmx saves. Without this file every control still works as a plain form post.
(() => {
  const board = document.querySelector("[data-board]");
  if (!board) return;

  const versionBadge = () => document.getElementById("board-version");
  let version = versionBadge()?.dataset.version;

  // After an htmx save the server sends the new version out of band. If it follows the
  // version this page was showing, only our own change happened: every form on the page
  // may carry the new version. Otherwise someone else changed the board as well; the
  // forms keep the old version, so the server refuses them, and the banner says reload.
  document.body.addEventListener("htmx:afterSettle", () => {
    const badge = versionBadge();
    if (!badge || badge.dataset.version === version) return;
    if (badge.dataset.previous === version) {
      version = badge.dataset.version;
      board.querySelectorAll("input[data-board-version]").forEach((input) => {
        input.value = version;
      });
    } else {
      document.getElementById("board-stale")?.classList.remove("d-none");
    }
  });

  const list = board.querySelector("[data-board-sortable]");
  if (list && window.Sortable) {
    window.Sortable.create(list, {
      handle: ".board-drag-handle",
      draggable: ".board-row",
      animation: 150,
      // Mouse and touch events rather than native drag and drop: the same behaviour on
      // phones and desktops.
      forceFallback: true,
      onEnd: (event) => {
        if (event.oldIndex === event.newIndex) return;
        const form = event.item.querySelector("form.js-rank-form");
        if (!form) return;
        form.querySelector("input[name=position]").value = String(event.newIndex + 1);
        list.classList.add("board-list-saving");
        form.requestSubmit();
      },
    });
    board.classList.add("board-sortable-ready");
  }
})();

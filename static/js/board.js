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

  // An issue's editors, loaded into its row, close again without a request.
  board.addEventListener("click", (event) => {
    const close = event.target.closest("[data-board-close]");
    if (!close) return;
    close.closest(".board-panel")?.replaceChildren();
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
        // The row's arrow posts to its rank view through the board's move form; sent
        // with the dropped position instead of its own, it moves the issue there.
        const arrow = event.item.querySelector("button[form=board-move]");
        if (!arrow) return;
        arrow.value = String(event.newIndex + 1);
        list.classList.add("board-list-saving");
        document.getElementById("board-move").requestSubmit(arrow);
      },
    });
    board.classList.add("board-sortable-ready");
  }
})();

// Small progressive enhancements. Everything works without this file.
document.documentElement.classList.add("js");

document.addEventListener("change", (event) => {
  const form = event.target.closest("form.js-autosubmit");
  if (form) {
    form.requestSubmit();
  }
});

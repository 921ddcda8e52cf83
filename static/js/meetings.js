// Meeting setup forms: slug suggestion, RAKORGUB link, criteria rows and their live total.
// Every form also works without this file; the server checks everything again.
(() => {
  // Mirrors django.utils.text.slugify and services.meeting_slug_suggestion.
  const slugify = (text) =>
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^\w\s-]/g, "")
      .replace(/[-\s]+/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "")
      .slice(0, 70)
      .replace(/-+$/, "");

  const setUpMeetingForm = (form) => {
    const title = form.querySelector("#id_title");
    const year = form.querySelector("#id_year");
    const slug = form.querySelector("#id_slug");
    if (title && year && slug) {
      // Only an empty slug follows the title; once the user types one, it is theirs.
      let followsTitle = slug.value === "";
      const suggest = () => {
        if (!followsTitle) return;
        const y = year.value.trim();
        const text = y && !title.value.includes(y) ? `${title.value} ${y}` : title.value;
        slug.value = slugify(text);
      };
      title.addEventListener("input", suggest);
      year.addEventListener("input", suggest);
      slug.addEventListener("input", () => {
        followsTitle = slug.value === "";
      });
    }

    const kind = form.querySelector("#id_kind");
    const follows = form.querySelector("#id_follows");
    const followsRow = form.querySelector("#div_id_follows");
    if (kind && follows && followsRow) {
      const sync = (clear) => {
        const isRakorgub = kind.value === "rakorgub";
        if (!isRakorgub && clear) follows.value = "";
        followsRow.classList.toggle("d-none", !isRakorgub && follows.value === "");
      };
      kind.addEventListener("change", () => sync(true));
      sync(false);
    }
  };

  const setUpCriteriaForm = (form) => {
    const container = form.querySelector("#criteria-forms");
    const template = document.getElementById("criterion-empty-form");
    const totalForms = form.querySelector("input[name$='-TOTAL_FORMS']");
    const maxForms = form.querySelector("input[name$='-MAX_NUM_FORMS']");
    const addButton = form.querySelector(".js-add-criterion");
    const output = form.querySelector("#criteria-total");

    const updateTotal = () => {
      let total = 0;
      container.querySelectorAll(".js-criterion").forEach((row) => {
        const removed = row.querySelector(".js-criterion-delete input[type=checkbox]");
        const weight = row.querySelector(".js-criterion-weight");
        if (removed && removed.checked) return;
        const value = Number.parseInt(weight ? weight.value : "", 10);
        if (!Number.isNaN(value)) total += value;
      });
      output.value = String(total);
      const ok = total === Number(output.dataset.required);
      output.classList.toggle("text-success", ok);
      output.classList.toggle("text-danger", !ok);
    };

    if (addButton && template && totalForms) {
      addButton.classList.remove("d-none");
      addButton.addEventListener("click", () => {
        const index = Number(totalForms.value);
        if (maxForms && index >= Number(maxForms.value)) return;
        const html = template.innerHTML.replace(/__prefix__/g, String(index));
        container.insertAdjacentHTML("beforeend", html);
        totalForms.value = String(index + 1);
        const rows = container.querySelectorAll(".js-criterion");
        const added = rows[rows.length - 1];
        const order = added.querySelector("input[name$='-order']");
        if (order) order.value = String(rows.length);
        const name = added.querySelector("input[name$='-name']");
        if (name) name.focus();
      });
    }
    container.addEventListener("input", updateTotal);
    container.addEventListener("change", updateTotal);
    updateTotal();
  };

  document.querySelectorAll("form.js-meeting-form").forEach(setUpMeetingForm);
  document.querySelectorAll("form.js-criteria-form").forEach(setUpCriteriaForm);
})();

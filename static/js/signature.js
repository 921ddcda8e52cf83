// Signature pad: draw with a finger, a pen or the mouse on a <canvas>; the PNG
// goes to the form as a data URL in a hidden field. The server checks it again
// (meetings/signatures.py): PNG only, at most 300 KB and 1200 x 600 pixels.
//
// Markup (templates/meetings/attendance/_signature_pad.html):
//   <div class="js-signature-pad">
//     <canvas class="signature-canvas"></canvas>
//     <button type="button" class="js-signature-clear">Ulangi</button>
//     <input type="hidden" class="js-signature-value" name="signature">
//   </div>
(() => {
  const MAX_WIDTH = 1200;
  const MAX_HEIGHT = 600;

  const setUp = (pad) => {
    const canvas = pad.querySelector("canvas");
    const input = pad.querySelector(".js-signature-value");
    const clear = pad.querySelector(".js-signature-clear");
    if (!canvas || !input) return;
    pad.classList.add("is-ready");

    const context = canvas.getContext("2d");
    let drawing = false;
    let drawn = false;
    let last = null;
    let fitted = false;

    // The drawing surface follows the size on screen (sharp on high-density
    // phones) without going over the server's limits. A pad inside a hidden
    // section has no size yet; it is fitted when it is first touched.
    const fit = () => {
      const rect = canvas.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) return;
      const ratio = Math.min(
        window.devicePixelRatio || 1,
        MAX_WIDTH / rect.width,
        MAX_HEIGHT / rect.height,
      );
      canvas.width = Math.max(1, Math.floor(rect.width * ratio));
      canvas.height = Math.max(1, Math.floor(rect.height * ratio));
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#0b1f4d";
      context.lineWidth = Math.max(2, 2.5 * ratio);
      fitted = true;
    };
    fit();
    window.addEventListener("resize", () => {
      if (!drawn) fit();
    });

    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - box.left) / box.width) * canvas.width,
        y: ((event.clientY - box.top) / box.height) * canvas.height,
      };
    };

    const line = (from, to) => {
      context.beginPath();
      context.moveTo(from.x, from.y);
      context.lineTo(to.x, to.y);
      context.stroke();
    };

    const save = () => {
      input.value = drawn ? canvas.toDataURL("image/png") : "";
      pad.classList.toggle("is-signed", drawn);
    };

    canvas.addEventListener("pointerdown", (event) => {
      if (event.button !== undefined && event.button > 0) return;
      event.preventDefault();
      if (!fitted) fit();
      if (canvas.setPointerCapture) canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = point(event);
      // A tap leaves a dot.
      line(last, { x: last.x + 0.1, y: last.y + 0.1 });
    });

    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      event.preventDefault();
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      for (const each of events.length ? events : [event]) {
        const next = point(each);
        line(last, next);
        last = next;
      }
      drawn = true;
    });

    const stop = () => {
      if (!drawing) return;
      drawing = false;
      last = null;
      save();
    };
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("lostpointercapture", stop);

    if (clear) {
      clear.addEventListener("click", () => {
        context.clearRect(0, 0, canvas.width, canvas.height);
        drawn = false;
        save();
      });
    }

    // A form sent back with an error elsewhere keeps the signature already drawn.
    if (fitted && input.value.startsWith("data:image/png;base64,")) {
      const image = new Image();
      image.addEventListener("load", () => {
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        drawn = true;
        pad.classList.add("is-signed");
      });
      image.src = input.value;
    }
  };

  document.querySelectorAll(".js-signature-pad").forEach(setUp);
})();

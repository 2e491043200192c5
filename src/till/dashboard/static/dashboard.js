// Copy buttons: <button data-copy="text">. Works without it: the text is shown.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const text = button.getAttribute("data-copy");
  try {
    await navigator.clipboard.writeText(text);
  } catch (error) {
    // Clipboard access needs a secure context; fall back to selecting the text.
    const code = button.parentElement.querySelector("code");
    if (code) window.getSelection().selectAllChildren(code);
    return;
  }
  const label = button.textContent;
  button.textContent = "Copied";
  button.classList.add("copied");
  setTimeout(() => {
    button.textContent = label;
    button.classList.remove("copied");
  }, 1500);
});

// Buttons that destroy something ask first: <form data-confirm="Revoke this key?">.
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});

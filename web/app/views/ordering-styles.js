// The stylesheet of the ordering views after the first screen (menu, checkout, order). Its
// importers wait for it (top-level await), so a view never paints unstyled, and the first
// screen does not download it.
const href = '/app/views/ordering.css';
if (!document.querySelector(`link[href="${href}"]`)) {
  await new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = resolve;
    // Unstyled beats not at all.
    link.onerror = resolve;
    document.head.appendChild(link);
  });
}

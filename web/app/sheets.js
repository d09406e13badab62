// A view's own stylesheet, loaded when the view's module is first imported. Importers wait
// for it (`await sheet(...)` at the top level), so a view never paints unstyled, and the
// first screen downloads only the styles it shows.
const loading = new Map();

export function sheet(href) {
  if (!loading.has(href)) {
    loading.set(
      href,
      new Promise((resolve) => {
        const link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = href;
        link.onload = resolve;
        // Unstyled beats not at all.
        link.onerror = resolve;
        document.head.appendChild(link);
      }),
    );
  }
  return loading.get(href);
}

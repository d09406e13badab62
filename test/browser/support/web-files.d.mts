/** The file at a URL path under web/ (`/lib/ui.js`, `/manage/alerts-panel.js`), or null. */
export function webFile(path: string): { body: string; contentType: string } | null;

// The API reference, rendered in the browser from the document this server serves. Nothing is
// fetched from elsewhere: no web fonts (the system's are used), no telemetry, no agent chat.
// "Try it" requests go straight to the API (same origin), never through Scalar's proxy.
window.Scalar.createApiReference('#reference', {
  url: '/openapi.json',
  withDefaultFonts: false,
  showDeveloperTools: 'never',
  telemetry: false,
  agent: { disabled: true },
  documentDownloadType: 'json',
});

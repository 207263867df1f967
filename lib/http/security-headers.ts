/**
 * What every answer, page or API, says about how a browser may use it. The
 * app loads nothing from elsewhere and is framed by nobody (clickjacking);
 * Next's own inline scripts need 'unsafe-inline', and its dev server eval.
 * 'self' in connect-src covers our own WebSocket (ws:/wss: to this host);
 * the dev server's hot reload needs any. HSTS is ignored by browsers over
 * plain http, and holds once the app is reached over https (directly or
 * through a proxy). Next.js adds them to its answers (next.config.ts), our
 * realtime edge to its own (lib/http/realtime/edge.ts).
 */
export function securityHeaders(dev: boolean): { key: string; value: string }[] {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Strict-Transport-Security", value: "max-age=31536000" },
  ];
}

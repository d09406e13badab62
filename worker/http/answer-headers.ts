/**
 * Sets a header on the route's answer, after it. A response passed through from a fetch (a
 * store object's WebSocket upgrade, a static asset) has immutable headers: it is copied once,
 * and every later header goes on the copy. The middlewares that decorate every answer
 * (request id, timings, CORS) all write through this, so none depends on another's order.
 */
export function setAnswerHeader(c: { res: Response }, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set(name, value);
  }
}

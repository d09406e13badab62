/**
 * Holds every test to the document's word on problem codes: each problem answer any test
 * receives through `call` must carry a code its operation lists for that status
 * (`x-problem-codes`, written by worker/http/problem-codes.doc.ts). The whole suite thereby
 * checks the lists against what the API really says, not only the conformance walk.
 */
type Responses = Record<string, { 'x-problem-codes'?: string[] }>;
interface Route {
  method: string;
  pattern: RegExp;
  params: number;
  responses: Responses;
}

let routes: Promise<Route[]> | undefined;

function routesOf(doc: { paths: Record<string, Record<string, { responses?: Responses }>> }): Route[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([, op]) => op?.responses)
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`),
        params: path.split('{').length - 1,
        responses: op.responses!,
      })),
  );
}

/** Why a problem answer is not one the document lists, or null. */
export async function unlistedProblemCode(
  fetchDocument: () => Promise<unknown>,
  method: string,
  url: string,
  status: number,
  code: unknown,
): Promise<string | null> {
  const path = url.split('?')[0]!;
  if (path === '/openapi.json') return null;
  routes ??= fetchDocument().then((doc) => routesOf(doc as never));
  // The most literal template wins: /v1/orders/mine before /v1/orders/{orderId}.
  const route = (await routes)
    .filter((r) => r.method === method && r.pattern.test(path))
    .sort((a, b) => a.params - b.params)[0];
  const listed = route?.responses[String(status)]?.['x-problem-codes'];
  if (!listed || listed.includes(code as string)) return null;
  return `${method} ${path} answered ${status} with code ${String(code)}, which its operation does not list for ${status} (lists ${listed.join(', ')})`;
}

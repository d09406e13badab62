import type { Json } from '../support/fixtures';
import { deref, type Operation, schemaChecker } from './document';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
}

const mediaType = (h: string | null) => (h ?? '').split(';')[0]!.trim().toLowerCase();

function documentedContent(content: Record<string, Json>, type: string): Json | undefined {
  if (content[type]) return content[type];
  const [major] = type.split('/');
  return content[`${major}/*`] ?? content['*/*'];
}

/**
 * Checks one answer against what the document says the operation answers: the status is
 * listed, the content type is one it lists for that status, the body is valid against that
 * schema, and a `Retry-After` it sends is a header it documents. Returns the mismatch, or null.
 */
export function answerChecker(doc: Json) {
  const check = schemaChecker(doc);
  return (o: Operation, res: Answer): string | null => {
    const responses = o.op.responses as Record<string, Json>;
    const key = [String(res.status), `${String(res.status)[0]}XX`, 'default'].find((k) => k in responses);
    if (!key)
      return `status ${res.status} not documented (documents ${Object.keys(responses).join(', ')}); body ${res.text.slice(0, 200)}`;
    const documented = deref(doc, responses[key]);
    const content = documented.content as Record<string, Json> | undefined;
    const type = mediaType(res.headers.get('content-type'));
    if (
      res.headers.has('retry-after') &&
      !Object.keys(documented.headers ?? {}).some((h) => h.toLowerCase() === 'retry-after')
    ) {
      return `sends Retry-After on ${res.status}, which the document does not list`;
    }
    if (!content || Object.keys(content).length === 0) {
      return res.text.length === 0
        ? null
        : `documents no body for ${res.status} but answered ${type}: ${res.text.slice(0, 200)}`;
    }
    if (res.text.length === 0) return null;
    const media = documentedContent(content, type);
    if (!media)
      return `content type "${type}" not documented for ${res.status} (documents ${Object.keys(content).join(', ')})`;
    if (!type.includes('json') || !media.schema) return null;
    if (res.json === undefined) return `${type} body is not JSON: ${res.text.slice(0, 200)}`;
    const error = check(media.schema, res.json);
    return error && `body does not match the ${res.status} schema: ${error}; body ${res.text.slice(0, 300)}`;
  };
}

// Turns one operation as openapi-typescript describes it (`operations['orders.place']` in
// generated/openapi.ts) into the shapes a call takes and returns: one argument object with the
// path and query parameters by name and `body`, and the union of the 2xx answers. Type-level
// only, so the generator emits one line per operation instead of re-deriving JSON Schema.

type Defined<T> = Exclude<T, undefined>;
/** Shows a flat object on hover instead of an intersection. */
type Flat<T> = { [K in keyof T]: T[K] };
/** No arguments from this part (neutral in an intersection). */
type Nothing = Record<never, never>;

/** One parameter location (`path`, `query`) as an object; `{}` where the operation has none. */
type ParamsIn<O, Where extends string> = O extends { parameters: infer P }
  ? P extends { [K in Where]?: infer X }
    ? [Defined<X>] extends [never]
      ? Nothing
      : Defined<X>
    : Nothing
  : Nothing;

/** Any of the request's content types: a JSON body, or a string for a text one (`text/csv`). */
type Content<B> = B extends { content: infer C } ? C[keyof C] : never;

type BodyArg<O> = O extends { requestBody: infer B }
  ? { body: Content<B> }
  : O extends { requestBody?: infer B }
    ? [Content<Defined<B>>] extends [never]
      ? Nothing
      : { body?: Content<Defined<B>> }
    : Nothing;

/** The argument object of an operation: path and query parameters by name, and `body`. */
export type ArgsOf<O> = Flat<ParamsIn<O, 'path'> & ParamsIn<O, 'query'> & BodyArg<O>>;

/** What an `x-idempotent` operation adds to its arguments. */
export interface Idempotent {
  /** `Idempotency-Key`: generated when omitted and reused across retries, so a retried call acts once. */
  idempotencyKey?: string;
}

type Answer<R> = R extends { content: infer C } ? C[keyof C] : undefined;

/** What a call resolves with: any of its 2xx answers (`undefined` for one without a body). */
export type ResultOf<O> = O extends { responses: infer R }
  ? { [S in keyof R]: `${S & (number | string)}` extends `2${string}` ? Answer<R[S]> : never }[keyof R]
  : never;

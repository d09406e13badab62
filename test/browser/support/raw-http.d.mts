export function rawGet(
  url: string,
  headers?: Record<string, string>,
): Promise<{ headers: Record<string, string | string[] | undefined>; text: string }>;

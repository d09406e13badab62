/** A fixed ES256 key for the test runtime only; never used outside tests. */
export const testSigningJwk = {
  key_ops: ['sign'],
  ext: true,
  kty: 'EC',
  x: 'TX71DbUh7T9wi9Ep-3iklwpGeR0XkBokyrS1x5Uh8OA',
  y: 'cmH9LKI0-tAq7D5Xg-RYjTsAEo-LThx-UMO2ziooKzQ',
  crv: 'P-256',
  d: '_sdueHIUSH9h53oIZwWwtOnezYdgCKi2obIzdHsn9kM',
  kid: 'test-key-1',
  alg: 'ES256',
};

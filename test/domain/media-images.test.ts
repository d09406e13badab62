import { describe, expect, it } from 'vitest';
import { contentTypeOfKey, keyOfUrl, mediaKey, sniffImage } from '../../domain/media/images';

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('an upload is judged by its bytes', () => {
  it('knows JPEG, PNG and WebP by their signatures', () => {
    expect(sniffImage(bytes([0xff, 0xd8, 0xff, 0xe1], 'Exif'))).toEqual({ ext: 'jpg', contentType: 'image/jpeg' });
    expect(sniffImage(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR'))).toEqual({
      ext: 'png',
      contentType: 'image/png',
    });
    expect(sniffImage(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8L'))).toEqual({ ext: 'webp', contentType: 'image/webp' });
  });

  it('refuses text, GIF, a bare PNG signature, a RIFF that is a WAV, and nothing at all', () => {
    expect(sniffImage(bytes('hello, I am a .png'))).toBeNull();
    expect(sniffImage(bytes('GIF89a'))).toBeNull();
    expect(sniffImage(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]))).toBeNull();
    expect(sniffImage(bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '))).toBeNull();
    expect(sniffImage(new Uint8Array())).toBeNull();
    expect(sniffImage(bytes([0xff, 0xd8]))).toBeNull();
  });

  it('keys are 32 hex digits of the hash, and only our own URLs map back to a key', () => {
    const hash = 'ab'.repeat(32);
    expect(mediaKey('i', hash, 'png')).toBe(`i/${'ab'.repeat(16)}.png`);
    expect(keyOfUrl(`/media/i/${'ab'.repeat(16)}.png`, 'i')).toBe(`i/${'ab'.repeat(16)}.png`);
    expect(keyOfUrl(`/media/r/${'ab'.repeat(16)}.png`, 'i')).toBeNull();
    expect(keyOfUrl('https://img.tiffin.dev/items/x.jpg', 'i')).toBeNull();
    expect(keyOfUrl(`/media/i/../${'ab'.repeat(16)}.png`, 'i')).toBeNull();
    expect(keyOfUrl(null, 'i')).toBeNull();
    expect(contentTypeOfKey('r/x.webp')).toBe('image/webp');
  });
});

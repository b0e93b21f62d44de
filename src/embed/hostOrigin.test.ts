import { describe, expect, it } from 'vitest';
import { framingOrigin, hostOriginNote, refusedOriginNote } from './hostOrigin';

/** A DOMStringList stand-in: indexable, as `location.ancestorOrigins` is. */
const ancestors = (...origins: string[]) => origins as unknown as DOMStringList;

describe('framingOrigin', () => {
  it('takes the parent from ancestorOrigins where the browser lists it', () => {
    expect(
      framingOrigin({ ancestorOrigins: ancestors('https://course.example') }, 'https://x.example/p'),
    ).toBe('https://course.example');
  });

  it('else the referrer’s origin, else nothing', () => {
    expect(framingOrigin({}, 'https://course.example/unit/3.html?x=1')).toBe('https://course.example');
    expect(framingOrigin({}, '')).toBeNull();
    expect(framingOrigin({}, 'not a url')).toBeNull();
    expect(framingOrigin({ ancestorOrigins: ancestors('null') }, '')).toBeNull();
  });
});

describe('hostOriginNote', () => {
  it('names the page to add when origins= leaves it out', () => {
    const note = hostOriginNote(['https://course.example'], 'http://127.0.0.1:8080');
    expect(note).toContain('this page, http://127.0.0.1:8080, is not in');
    expect(note).toContain('it allows https://course.example');
    expect(note).toContain('Add http://127.0.0.1:8080 to origins=');
  });

  it('says nothing without a list, for an allowed page, or when the page is unknown', () => {
    expect(hostOriginNote(null, 'https://a.example')).toBeNull();
    expect(hostOriginNote(['https://a.example'], 'https://a.example')).toBeNull();
    expect(hostOriginNote(['https://a.example'], null)).toBeNull();
  });

  it('an empty list still names the page', () => {
    expect(hostOriginNote([], 'https://a.example')).toContain('Add https://a.example to origins=');
  });

  it('a refused message names its origin', () => {
    expect(refusedOriginNote('https://b.example')).toContain('a message from https://b.example was refused');
  });
});

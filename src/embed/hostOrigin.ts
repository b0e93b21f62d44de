/**
 * Notes for a course page's author when `origins=` does not name the page that frames the embed:
 * without them such an embed sends and takes nothing, and only its console said why.
 */
import { parseOrigin } from './embedParams';

/**
 * The origin of the page that frames this one, as far as the browser tells: Chromium and Safari
 * list it in `location.ancestorOrigins`; elsewhere the referrer's origin (sent by the default
 * referrer policy, strict-origin-when-cross-origin). null when neither says.
 */
export function framingOrigin(
  location: { readonly ancestorOrigins?: DOMStringList },
  referrer: string,
): string | null {
  const ancestor = location.ancestorOrigins?.[0];
  if (ancestor !== undefined) return parseOrigin(ancestor);
  if (referrer === '') return null;
  try {
    return parseOrigin(new URL(referrer).origin);
  } catch {
    return null;
  }
}

/** The note when the framing page is not allowed, or null when it is (or cannot be known). */
export function hostOriginNote(origins: readonly string[] | null, host: string | null): string | null {
  if (origins === null || host === null || origins.includes(host)) return null;
  const allowed = origins.length > 0 ? ` (it allows ${origins.join(', ')})` : '';
  return (
    `For the page's author: this page, ${host}, is not in the embed's origins=${allowed}, so the embed ` +
    `neither takes its messages nor sends it any. Add ${host} to origins= in the snippet.`
  );
}

/** The note for a message refused for its origin. */
export function refusedOriginNote(origin: string): string {
  return `For the page's author: a message from ${origin} was refused, since origins= does not name it. Add it to origins= if that page should drive this embed.`;
}

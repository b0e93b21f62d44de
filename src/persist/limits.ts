/**
 * Limits the page checks before it asks the Worker to save, in a module of their own so that the
 * page does not load the file format's codec (schema.ts, format.ts, crc32.ts) for a constant.
 */

/** A saved session's name, in characters. */
export const MAX_NAME_LENGTH = 120;

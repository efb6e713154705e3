/**
 * Message-IDs as they stand in a Message-ID, In-Reply-To or References field. Its own module, free of imapflow:
 * the parser (parse.ts) needs it for every message, `import` included, which has no IMAP connection to load.
 */

/** Message-IDs in a References or In-Reply-To value, with their angle brackets. */
export function parseMessageIds(value: string | null | undefined): string[] {
  return value ? Array.from(value.matchAll(/<[^<>\s]+>/g), (m) => m[0]) : [];
}

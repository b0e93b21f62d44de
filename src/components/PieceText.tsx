import { CONTINUATION_PREFIX } from '../core/tokenizer';

/** A word piece's text, with the "##" of a continuation piece dimmed so the piece reads as attached. */
export function PieceText({ token, isContinuation }: { token: string; isContinuation: boolean }) {
  if (!isContinuation) return <>{token}</>;
  return (
    <>
      <span className="hashes">{CONTINUATION_PREFIX}</span>
      {token.slice(CONTINUATION_PREFIX.length)}
    </>
  );
}

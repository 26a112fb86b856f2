/** A `ul` of cards: list semantics for screen readers, without bullets or indentation. */
export const plainList = { listStyle: 'none', padding: 0, margin: 0 } as const;

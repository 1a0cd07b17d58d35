/** BM25 (k1 1.2, b 0.75) over lower-cased word tokens: the seed's "naive approach" baseline. */
export function createBm25(documents: Map<string, string>, k1 = 1.2, b = 0.75) {
  const tokens = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const docs = new Map<string, Map<string, number>>();
  const df = new Map<string, number>();
  let totalLength = 0;
  for (const [id, text] of documents) {
    const tf = new Map<string, number>();
    const words = tokens(text);
    totalLength += words.length;
    for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
    for (const w of tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
    docs.set(id, tf);
  }
  const n = documents.size;
  const avgLength = n > 0 ? totalLength / n : 0;
  const idf = (w: string) => Math.log(1 + (n - (df.get(w) ?? 0) + 0.5) / ((df.get(w) ?? 0) + 0.5));
  return {
    /** Score of one document for a query text (0 for an unknown document). */
    score(query: string, docId: string): number {
      const tf = docs.get(docId);
      if (!tf) return 0;
      const length = [...tf.values()].reduce((a, c) => a + c, 0);
      let s = 0;
      for (const w of new Set(tokens(query))) {
        const f = tf.get(w) ?? 0;
        if (f > 0) s += idf(w) * ((f * (k1 + 1)) / (f + k1 * (1 - b + (b * length) / avgLength)));
      }
      return s;
    },
  };
}
